package io.zerolock.connect;

import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * libpq's connection service files ({@code ~/.pg_service.conf}, {@code PGSERVICEFILE}, the system-wide
 * {@code pg_service.conf}): INI sections named for services, {@code key=value} connection parameters.
 */
final class ServiceFile {

    private ServiceFile() {}

    /** The parameters of {@code service} from the first file that defines it; an error when none does. */
    static Map<String, String> lookup(String service, List<Path> files) {
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                continue;
            }
            Map<String, String> found = read(file, service);
            if (found != null) {
                return found;
            }
        }
        throw new ZerolockException(ErrorCode.BAD_USAGE, "definition of service \"" + service + "\" not found (looked "
                + "in " + files + ")");
    }

    private static Map<String, String> read(Path file, String service) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ZerolockException(ErrorCode.BAD_USAGE, "cannot read service file " + file + ": "
                    + e.getMessage(), e);
        }
        Map<String, String> parameters = null;
        int number = 0;
        for (String raw : lines) {
            number++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[")) {
                if (parameters != null) {
                    return parameters;
                }
                if (line.equals("[" + service + "]")) {
                    parameters = new LinkedHashMap<>();
                }
                continue;
            }
            if (parameters == null) {
                continue;
            }
            int equals = line.indexOf('=');
            if (equals < 1) {
                throw new ZerolockException(ErrorCode.BAD_USAGE, "syntax error in service file " + file + ", line "
                        + number);
            }
            parameters.put(line.substring(0, equals).strip(), line.substring(equals + 1).strip());
        }
        return parameters;
    }
}
