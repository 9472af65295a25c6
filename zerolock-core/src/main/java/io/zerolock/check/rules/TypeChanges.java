package io.zerolock.check.rules;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Type changes PostgreSQL makes without a rewrite (binary-coercible, and no stricter typmod). */
final class TypeChanges {

    private static final Pattern VARCHAR = Pattern.compile("(character varying|varchar)\\s*(?:\\(\\s*(\\d+)\\s*\\))?");
    private static final Pattern NUMERIC = Pattern.compile("(numeric|decimal)\\s*(?:\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\))?");

    private TypeChanges() {}

    static boolean binaryCoercible(String before, String after) {
        String from = before.trim().toLowerCase(Locale.ROOT);
        String to = after.trim().toLowerCase(Locale.ROOT);
        if (from.equals(to)) {
            return true;
        }
        Matcher fromVarchar = VARCHAR.matcher(from);
        Matcher toVarchar = VARCHAR.matcher(to);
        if (fromVarchar.matches() && (to.equals("text") || toVarchar.matches())) {
            // to text, to unbounded varchar, or to a length at least as long
            return to.equals("text") || toVarchar.group(2) == null || fromVarchar.group(2) != null
                    && Integer.parseInt(toVarchar.group(2)) >= Integer.parseInt(fromVarchar.group(2));
        }
        if (from.equals("text") && toVarchar.matches() && toVarchar.group(2) == null) {
            return true; // text to unbounded varchar
        }
        Matcher fromNumeric = NUMERIC.matcher(from);
        Matcher toNumeric = NUMERIC.matcher(to);
        if (fromNumeric.matches() && toNumeric.matches()) {
            if (toNumeric.group(2) == null) {
                return true;
            }
            if (fromNumeric.group(2) == null) {
                return false;
            }
            int fromScale = fromNumeric.group(3) == null ? 0 : Integer.parseInt(fromNumeric.group(3));
            int toScale = toNumeric.group(3) == null ? 0 : Integer.parseInt(toNumeric.group(3));
            return fromScale == toScale && Integer.parseInt(toNumeric.group(2)) >= Integer.parseInt(fromNumeric.group(2));
        }
        return false;
    }
}
