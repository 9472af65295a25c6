package io.zerolock.connect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libpq's password file: lines of {@code hostname:port:database:username:password}, {@code *} matching
 * anything, {@code \:} and {@code \\} escaping, {@code #} comments, first match wins. Like libpq, a file
 * readable by group or others is ignored with a warning.
 */
public final class PgPassFile {

    private static final Logger log = LoggerFactory.getLogger(PgPassFile.class);

    private final Path path;

    public PgPassFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    /** The password for this connection, if a line matches. */
    public Optional<String> lookup(String host, int port, String database, String user) {
        if (!Files.isRegularFile(path)) {
            return Optional.empty();
        }
        if (groupOrWorldAccessible()) {
            log.atWarn().setMessage("password file has group or world access; permissions should be u=rw (0600) or less")
                    .addKeyValue("file", path).log();
            return Optional.empty();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            log.atWarn().setMessage("cannot read password file").addKeyValue("file", path)
                    .addKeyValue("error", e.getMessage()).log();
            return Optional.empty();
        }
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            List<String> fields = split(line);
            if (fields.size() < 5) {
                continue;
            }
            if (matches(fields.get(0), host) && matches(fields.get(1), String.valueOf(port))
                    && matches(fields.get(2), database) && matches(fields.get(3), user)) {
                return Optional.of(fields.get(4));
            }
        }
        return Optional.empty();
    }

    private static boolean matches(String pattern, String value) {
        return pattern.equals("*") || pattern.equals(value);
    }

    /** Splits on unescaped colons; the password field takes the rest of the line. */
    private static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                field.append(line.charAt(++i));
            } else if (c == ':' && fields.size() < 4) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }

    private boolean groupOrWorldAccessible() {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
            return permissions.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"));
        } catch (UnsupportedOperationException | IOException e) {
            return false;
        }
    }
}
