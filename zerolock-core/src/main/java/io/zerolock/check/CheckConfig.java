package io.zerolock.check;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The project's {@code .zerolock.toml}: which PostgreSQL version the migrations target, where they are,
 * rules to leave out and severities to change. Command-line options win over it.
 *
 * <pre>
 * pg-version = 16
 * paths = ["db/migration"]
 * exclude = ["ZL015"]
 * fail-on = "warning"
 *
 * timezone = "UTC"            # the session time zone the migrations run with in production
 * runner = "flyway"            # whose transactions the files run in: none, flyway, liquibase, diesel, prisma, ...
 *
 * [severity]
 * ZL016 = "error"
 *
 * [placeholders]                # Flyway-style ${name} in the migrations
 * schema = "app"
 * </pre>
 */
public record CheckConfig(Integer pgVersion, List<String> paths, List<String> exclude, String failOn,
        Map<String, Severity> severity, Map<String, String> placeholders, String timezone, String runner,
        boolean roleLockTimeout) {

    private static final String KNOWN_KEYS = "pg-version, paths, exclude, fail-on, timezone, runner, "
            + "role-lock-timeout, [severity], [placeholders]";

    public static final String FILE_NAME = ".zerolock.toml";

    private record Raw(@JsonProperty("pg-version") Integer pgVersion, @JsonProperty("paths") List<String> paths,
            @JsonProperty("exclude") List<String> exclude, @JsonProperty("fail-on") String failOn,
            @JsonProperty("severity") Map<String, String> severity,
            @JsonProperty("placeholders") Map<String, String> placeholders, @JsonProperty("timezone") String timezone,
            @JsonProperty("runner") String runner, @JsonProperty("role-lock-timeout") Boolean roleLockTimeout) {}

    public static CheckConfig none() {
        return new CheckConfig(null, List.of(), List.of(), null, Map.of(), Map.of(), null, null, false);
    }

    /** Reads the file; a wrong key, type or value is a usage error that names the file and the line. */
    public static CheckConfig read(Path file) {
        TomlMapper mapper = TomlMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        try {
            Raw raw = mapper.readValue(Files.readString(file), Raw.class);
            Map<String, Severity> severity = new LinkedHashMap<>();
            if (raw.severity() != null) {
                raw.severity().forEach((id, level) -> severity.put(id, severity(file, id, level)));
                io.zerolock.check.rules.Rules.requireKnown(raw.severity().keySet(), file + " [severity]");
            }
            List<String> exclude = raw.exclude() == null ? List.of() : raw.exclude();
            io.zerolock.check.rules.Rules.requireKnown(exclude, file + " exclude");
            return new CheckConfig(raw.pgVersion(), raw.paths() == null ? List.of() : raw.paths(), exclude,
                    raw.failOn(), severity, raw.placeholders() == null ? Map.of() : raw.placeholders(),
                    raw.timezone(), raw.runner(), Boolean.TRUE.equals(raw.roleLockTimeout()));
        } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
            int line = lineOf(file, e.getPropertyName());
            throw new ZerolockException(ErrorCode.BAD_USAGE, "cannot read " + file + ": unknown key \""
                    + e.getPropertyName() + "\"" + (line > 0 ? " (line " + line + ")" : "") + "; known keys: "
                    + KNOWN_KEYS);
        } catch (JsonMappingException e) {
            throw new ZerolockException(ErrorCode.BAD_USAGE, "cannot read " + file + ": " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")")
                    + "; known keys: " + KNOWN_KEYS);
        } catch (IOException e) {
            throw new ZerolockException(ErrorCode.BAD_USAGE, "cannot read " + file + ": " + e.getMessage());
        }
    }

    /** The line where a key is set or a table opened (the TOML reader does not keep positions). */
    private static int lineOf(Path file, String key) {
        try {
            List<String> lines = Files.readAllLines(file);
            java.util.regex.Pattern set = java.util.regex.Pattern.compile("\\s*(\\[\\s*)?\"?"
                    + java.util.regex.Pattern.quote(key) + "\"?\\s*(=|]).*");
            for (int i = 0; i < lines.size(); i++) {
                if (set.matcher(lines.get(i)).matches()) {
                    return i + 1;
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }

    private static Severity severity(Path file, String id, String level) {
        try {
            return Severity.valueOf(level.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ZerolockException(ErrorCode.BAD_USAGE, "cannot read " + file + ": severity of " + id + " is \""
                    + level + "\"; use error, warning or info");
        }
    }
}
