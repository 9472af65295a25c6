package io.zerolock.catalog;

import java.util.List;

/** {@code reloptions} entries ({@code name=value}) read by name. */
final class StorageParameters {

    private StorageParameters() {}

    static String value(List<String> parameters, String name) {
        for (String parameter : parameters) {
            int equals = parameter.indexOf('=');
            if (equals > 0 && parameter.substring(0, equals).equalsIgnoreCase(name)) {
                return parameter.substring(equals + 1);
            }
        }
        return null;
    }
}
