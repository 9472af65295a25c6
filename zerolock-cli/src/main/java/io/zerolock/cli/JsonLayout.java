package io.zerolock.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zerolock.connect.Redaction;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/** One JSON object per line: time, level, msg, then the event's key-value pairs. */
public final class JsonLayout extends LayoutBase<ILoggingEvent> {

    private static final ObjectMapper JSON = new ObjectMapper();

    private boolean stackTraces;

    public void setStackTraces(boolean stackTraces) {
        this.stackTraces = stackTraces;
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
        fields.put("level", event.getLevel().toString().toLowerCase(java.util.Locale.ROOT));
        String message = event.getFormattedMessage();
        if (message != null && !message.isEmpty()) {
            fields.put("msg", Redaction.redact(message));
        }
        if (event.getKeyValuePairs() != null) {
            for (KeyValuePair pair : event.getKeyValuePairs()) {
                Object value = pair.value;
                fields.put(pair.key, value instanceof Number || value instanceof Boolean || value == null
                        ? value : Redaction.redact(String.valueOf(value)));
            }
        }
        if (event.getThrowableProxy() != null) {
            fields.put("error", Redaction.redact(event.getThrowableProxy().getMessage()));
            if (stackTraces) {
                fields.put("stack_trace", Redaction.redact(ThrowableProxyUtil.asString(event.getThrowableProxy())));
            }
        }
        try {
            return JSON.writeValueAsString(fields) + CoreConstants.LINE_SEPARATOR;
        } catch (JsonProcessingException e) {
            return "{\"level\":\"error\",\"msg\":\"cannot render log event\"}" + CoreConstants.LINE_SEPARATOR;
        }
    }
}
