package io.zerolock.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import io.zerolock.connect.Redaction;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.event.KeyValuePair;

/**
 * One event per line in logfmt, in the style of the reindex-concurrently tool:
 * {@code time=... level=info msg="connecting to database" dbname=app host=db port=5432 user=app}.
 */
public final class LogfmtLayout extends LayoutBase<ILoggingEvent> {

    private boolean stackTraces;

    public void setStackTraces(boolean stackTraces) {
        this.stackTraces = stackTraces;
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(128);
        line.append("time=").append(Instant.ofEpochMilli(event.getTimeStamp()).truncatedTo(ChronoUnit.MILLIS));
        line.append(" level=").append(event.getLevel().toString().toLowerCase(java.util.Locale.ROOT));
        String message = event.getFormattedMessage();
        if (message != null && !message.isEmpty()) {
            append(line, "msg", message);
        }
        if (event.getKeyValuePairs() != null) {
            for (KeyValuePair pair : event.getKeyValuePairs()) {
                append(line, pair.key, pair.value == null ? "" : String.valueOf(pair.value));
            }
        }
        if (event.getThrowableProxy() != null) {
            append(line, "error", event.getThrowableProxy().getMessage());
        }
        line.append(CoreConstants.LINE_SEPARATOR);
        if (stackTraces && event.getThrowableProxy() != null) {
            line.append(Redaction.redact(ThrowableProxyUtil.asString(event.getThrowableProxy())));
            line.append(CoreConstants.LINE_SEPARATOR);
        }
        return line.toString();
    }

    private static void append(StringBuilder line, String key, String value) {
        line.append(' ').append(key).append('=');
        String safe = Redaction.redact(value == null ? "" : value);
        if (needsQuotes(safe)) {
            line.append('"');
            for (int i = 0; i < safe.length(); i++) {
                char c = safe.charAt(i);
                switch (c) {
                    case '"' -> line.append("\\\"");
                    case '\\' -> line.append("\\\\");
                    case '\n' -> line.append("\\n");
                    case '\r' -> line.append("\\r");
                    case '\t' -> line.append("\\t");
                    default -> line.append(c);
                }
            }
            line.append('"');
        } else {
            line.append(safe);
        }
    }

    private static boolean needsQuotes(String value) {
        if (value.isEmpty()) {
            return true;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c == '=' || c == '"' || c == '\\') {
                return true;
            }
        }
        return false;
    }
}
