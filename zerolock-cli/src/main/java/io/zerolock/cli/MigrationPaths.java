package io.zerolock.cli;

import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** The migration files that {@code check} and {@code apply} read, in the order they read them. */
final class MigrationPaths {

    private MigrationPaths() {}

    /** Files as given; directories' *.sql files (recursively) in natural order, so V2 comes before V10. */
    static List<Path> files(List<Path> roots) {
        List<Path> files = new ArrayList<>();
        for (Path root : roots) {
            if (Files.isDirectory(root)) {
                try (Stream<Path> found = Files.walk(root)) {
                    files.addAll(found.filter(Files::isRegularFile)
                            .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".sql"))
                            .sorted(NATURAL).toList());
                } catch (IOException e) {
                    throw new ZerolockException(ErrorCode.BAD_USAGE, "cannot list " + root + ": " + e.getMessage());
                }
            } else if (Files.isRegularFile(root)) {
                files.add(root);
            } else {
                throw new ZerolockException(ErrorCode.BAD_USAGE, "no such file or directory: " + root);
            }
        }
        return files;
    }

    /**
     * The files to apply, each with the name its history is kept under: a file given by itself, its file
     * name; a file found in a directory, its path below that directory (so moving the directory changes
     * nothing).
     */
    static java.util.LinkedHashMap<String, Path> named(List<Path> roots) {
        java.util.LinkedHashMap<String, Path> named = new java.util.LinkedHashMap<>();
        for (Path root : roots) {
            for (Path file : files(List.of(root))) {
                Path name = Files.isDirectory(root) ? root.relativize(file) : file.getFileName();
                String key = name.toString().replace(java.io.File.separatorChar, '/');
                Path earlier = named.putIfAbsent(key, file);
                if (earlier != null && !earlier.toAbsolutePath().normalize().equals(file.toAbsolutePath().normalize())) {
                    throw new ZerolockException(ErrorCode.BAD_USAGE, "two migrations are named " + key + " (" + earlier
                            + " and " + file + "): the history tells them apart by name; rename one");
                }
            }
        }
        return named;
    }

    /** Compares runs of digits by value: V2__a.sql before V10__b.sql, 1.2 before 1.10. */
    static final Comparator<Path> NATURAL = (a, b) -> natural(a.toString(), b.toString());

    static int natural(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char x = a.charAt(i);
            char y = b.charAt(j);
            if (Character.isDigit(x) && Character.isDigit(y)) {
                int si = i;
                int sj = j;
                while (i < a.length() && Character.isDigit(a.charAt(i))) {
                    i++;
                }
                while (j < b.length() && Character.isDigit(b.charAt(j))) {
                    j++;
                }
                int compared = new java.math.BigInteger(a.substring(si, i)).compareTo(
                        new java.math.BigInteger(b.substring(sj, j)));
                if (compared != 0) {
                    return compared;
                }
            } else {
                if (x != y) {
                    return Character.compare(x, y);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
