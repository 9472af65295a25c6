package io.zerolock.connect;

import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * libpq's reading of a {@code dbname} value: a {@code postgresql://} URI, a {@code key=value} conninfo
 * string (recognised by an equals sign), or else a plain database name. Errors never quote a password.
 */
public final class ConnInfo {

    /** The libpq keywords zerolock accepts; anything else is rejected, as libpq does. */
    static final Set<String> KEYWORDS = Set.of(
            "host", "hostaddr", "port", "dbname", "user", "password", "passfile", "sslmode", "application_name",
            "fallback_application_name", "connect_timeout", "options", "sslcert", "sslkey", "sslrootcert",
            "sslpassword", "target_session_attrs", "client_encoding", "keepalives", "keepalives_idle",
            "gssencmode", "channel_binding", "sslcrl", "service");

    private ConnInfo() {}

    /** The keywords a dbname value stands for, in the order given. A plain name gives {@code dbname}. */
    public static Map<String, String> parse(String value) {
        if (value == null) {
            return Map.of();
        }
        if (value.startsWith("postgresql://") || value.startsWith("postgres://")) {
            return parseUri(value);
        }
        if (value.contains("=")) {
            return parseKeywordValue(value);
        }
        Map<String, String> plain = new LinkedHashMap<>();
        plain.put("dbname", value);
        return plain;
    }

    /** Whether libpq would treat this dbname value as a connection string rather than a name. */
    public static boolean isConnectionString(String value) {
        return value != null
                && (value.startsWith("postgresql://") || value.startsWith("postgres://") || value.contains("="));
    }

    private static Map<String, String> parseKeywordValue(String text) {
        Map<String, String> result = new LinkedHashMap<>();
        int i = 0;
        int n = text.length();
        while (true) {
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return result;
            }
            int keyStart = i;
            while (i < n && text.charAt(i) != '=' && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            String key = text.substring(keyStart, i);
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i >= n || text.charAt(i) != '=') {
                throw bad("missing \"=\" after \"" + key + "\" in connection info string");
            }
            i++;
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            StringBuilder value = new StringBuilder();
            if (i < n && text.charAt(i) == '\'') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = text.charAt(i++);
                    if (c == '\\' && i < n) {
                        value.append(text.charAt(i++));
                    } else if (c == '\'') {
                        closed = true;
                        break;
                    } else {
                        value.append(c);
                    }
                }
                if (!closed) {
                    throw bad("unterminated quoted string in connection info string");
                }
            } else {
                while (i < n && !Character.isWhitespace(text.charAt(i))) {
                    char c = text.charAt(i++);
                    if (c == '\\' && i < n) {
                        value.append(text.charAt(i++));
                    } else {
                        value.append(c);
                    }
                }
            }
            put(result, key, value.toString());
        }
    }

    private static Map<String, String> parseUri(String uri) {
        Map<String, String> result = new LinkedHashMap<>();
        String rest = uri.substring(uri.indexOf("://") + 3);
        String query = null;
        int questionMark = rest.indexOf('?');
        if (questionMark >= 0) {
            query = rest.substring(questionMark + 1);
            rest = rest.substring(0, questionMark);
        }
        String path = null;
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            path = rest.substring(slash + 1);
            rest = rest.substring(0, slash);
        }
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = userInfo.indexOf(':');
            String user = colon >= 0 ? userInfo.substring(0, colon) : userInfo;
            if (!user.isEmpty()) {
                result.put("user", decode(user, "user name"));
            }
            if (colon >= 0) {
                result.put("password", decode(userInfo.substring(colon + 1), "password"));
            }
        }
        if (!rest.isEmpty()) {
            StringBuilder hosts = new StringBuilder();
            StringBuilder ports = new StringBuilder();
            boolean anyPort = false;
            for (String hostPort : rest.split(",", -1)) {
                String host;
                String port = "";
                if (hostPort.startsWith("[")) {
                    int close = hostPort.indexOf(']');
                    if (close < 0) {
                        throw bad("missing \"]\" in IPv6 host address in URI");
                    }
                    host = hostPort.substring(1, close);
                    String after = hostPort.substring(close + 1);
                    if (after.startsWith(":")) {
                        port = after.substring(1);
                    } else if (!after.isEmpty()) {
                        throw bad("unexpected characters after IPv6 host address in URI");
                    }
                } else {
                    int colon = hostPort.lastIndexOf(':');
                    host = colon >= 0 ? hostPort.substring(0, colon) : hostPort;
                    port = colon >= 0 ? hostPort.substring(colon + 1) : "";
                }
                if (hosts.length() > 0) {
                    hosts.append(',');
                    ports.append(',');
                }
                hosts.append(decode(host, "host"));
                ports.append(port);
                anyPort |= !port.isEmpty();
            }
            if (!hosts.toString().replace(",", "").isEmpty()) {
                result.put("host", hosts.toString());
            }
            if (anyPort) {
                result.put("port", ports.toString());
            }
        }
        if (path != null && !path.isEmpty()) {
            result.put("dbname", decode(path, "database name"));
        }
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                if (equals < 0) {
                    throw bad("missing key/value separator \"=\" in URI query parameter \""
                            + (pair.startsWith("password") ? "password" : pair) + "\"");
                }
                String key = decode(pair.substring(0, equals), "query parameter");
                String value = decode(pair.substring(equals + 1), "query parameter");
                // libpq accepts JDBC's ssl=true as sslmode=require
                if (key.equals("ssl") && value.equals("true")) {
                    key = "sslmode";
                    value = "require";
                }
                put(result, key, value);
            }
        }
        return result;
    }

    private static void put(Map<String, String> result, String key, String value) {
        if (!KEYWORDS.contains(key)) {
            throw bad("invalid connection option \"" + key + "\"");
        }
        result.put(key, value);
    }

    private static String decode(String text, String what) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '%') {
                int high = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
                int low = i + 2 < text.length() ? Character.digit(text.charAt(i + 2), 16) : -1;
                if (high < 0 || low < 0) {
                    throw bad("invalid percent-encoded token in the " + what + " of the URI");
                }
                bytes.write(high * 16 + low);
                i += 3;
            } else {
                int codePoint = text.codePointAt(i);
                byte[] encoded = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
                i += Character.charCount(codePoint);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static ZerolockException bad(String message) {
        return new ZerolockException(ErrorCode.BAD_USAGE, message);
    }
}
