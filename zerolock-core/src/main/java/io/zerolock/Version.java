package io.zerolock;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of this zerolock build. */
public final class Version {

    private Version() {}

    public static String current() {
        Properties properties = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return properties.getProperty("version", "unknown");
    }
}
