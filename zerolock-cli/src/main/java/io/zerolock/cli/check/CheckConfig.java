package io.zerolock.cli.check;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import io.zerolock.check.Severity;
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
 * [severity]
 * ZL016 = "error"
 * </pre>
 */
public record CheckConfig(Integer pgVersion, List<String> paths, List<String> exclude, String failOn,
        Map<String, Severity> severity) {

    public static final String FILE_NAME = ".zerolock.toml";

    private record Raw(@JsonProperty("pg-version") Integer pgVersion, @JsonProperty("paths") List<String> paths,
            @JsonProperty("exclude") List<String> exclude, @JsonProperty("fail-on") String failOn,
            @JsonProperty("severity") Map<String, String> severity) {}

    public static CheckConfig none() {
        return new CheckConfig(null, List.of(), List.of(), null, Map.of());
    }

    /** Reads the file; a wrong key, type or value is a usage error that names the file and the line. */
    public static CheckConfig read(Path file) {
        TomlMapper mapper = TomlMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        try {
            Raw raw = mapper.readValue(Files.readString(file), Raw.class);
            Map<String, Severity> severity = new LinkedHashMap<>();
            if (raw.severity() != null) {
                raw.severity().forEach((id, level) -> severity.put(id, severity(file, id, level)));
            }
            return new CheckConfig(raw.pgVersion(), raw.paths() == null ? List.of() : raw.paths(),
                    raw.exclude() == null ? List.of() : raw.exclude(), raw.failOn(), severity);
        } catch (JsonMappingException e) {
            throw new ZerolockException(ErrorCode.BAD_USAGE, "cannot read " + file + ": " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")")
                    + "; known keys: pg-version, paths, exclude, fail-on, [severity]");
        } catch (IOException e) {
            throw new ZerolockException(ErrorCode.BAD_USAGE, "cannot read " + file + ": " + e.getMessage());
        }
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
