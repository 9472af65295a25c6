package io.zerolock.cli;

import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** The files of a git work tree that are new or changed since a commit: committed, staged, or not yet. */
final class ChangedFiles {

    private ChangedFiles() {}

    /** Absolute, normalised paths of the files changed since {@code ref}, in the repository holding {@code inside}. */
    static Set<Path> since(String ref, Path inside) {
        Path directory = Files.isDirectory(inside) ? inside : inside.toAbsolutePath().getParent();
        Path top = Path.of(git(directory, "rev-parse", "--show-toplevel").get(0));
        Set<Path> changed = new HashSet<>();
        for (String file : git(directory, "diff", "--name-only", "--no-renames", ref, "--")) {
            changed.add(top.resolve(file).toAbsolutePath().normalize());
        }
        for (String file : git(directory, "ls-files", "--others", "--exclude-standard", "--full-name")) {
            changed.add(top.resolve(file).toAbsolutePath().normalize());
        }
        return changed;
    }

    private static List<String> git(Path directory, String... arguments) {
        List<String> command = new ArrayList<>(List.of("git", "-C", directory.toString()));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new ZerolockException(ErrorCode.BAD_USAGE, "--changed-since: git " + String.join(" ", arguments)
                        + " failed in " + directory + ": " + output.strip());
            }
            return output.lines().filter(line -> !line.isBlank()).toList();
        } catch (IOException e) {
            throw new ZerolockException(ErrorCode.BAD_USAGE, "--changed-since needs git on the PATH: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZerolockException(ErrorCode.BAD_USAGE, "interrupted while asking git");
        }
    }
}
