package io.zerolock.connect;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Removes passwords from connection strings before they are shown anywhere. */
public final class Redaction {

    public static final String MASK = "***";

    private static final Pattern URI_USERINFO = Pattern.compile("(postgres(?:ql)?://[^:/?#@]*):[^@/?#]*@");
    private static final Pattern URI_QUERY_PASSWORD = Pattern.compile("([?&]password=)[^&]*", Pattern.CASE_INSENSITIVE);
    private static final Pattern KEYWORD_PASSWORD =
            Pattern.compile("(\\bpassword\\s*=\\s*)('(?:[^'\\\\]|\\\\.)*'?|\\S*)", Pattern.CASE_INSENSITIVE);
    private static final Pattern JDBC_PASSWORD = Pattern.compile("([?&;]password=)[^&;]*", Pattern.CASE_INSENSITIVE);

    private Redaction() {}

    /** The text with any password of a URI or conninfo string replaced by {@code ***}. */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String redacted = URI_USERINFO.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + ":" + MASK + "@"));
        redacted = URI_QUERY_PASSWORD.matcher(redacted).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
        redacted = JDBC_PASSWORD.matcher(redacted).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
        if (!redacted.contains("://")) {
            redacted = KEYWORD_PASSWORD.matcher(redacted).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
        }
        return redacted;
    }

    /** The text with every occurrence of a known secret replaced, for messages that might echo it. */
    public static String redact(String text, io.zerolock.Secret secret) {
        String redacted = redact(text);
        if (redacted == null || secret == null || secret.isEmpty()) {
            return redacted;
        }
        return redacted.replace(secret.reveal(), MASK);
    }
}
