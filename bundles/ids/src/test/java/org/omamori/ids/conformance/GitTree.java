package org.omamori.ids.conformance;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The files of one commit of a git repository (a bare mirror will do), read through the
 * {@code git} command: the listing once, blobs on demand through one {@code cat-file --batch}.
 * A blob the mirror lacks reads as null.
 */
final class GitTree implements AutoCloseable {

    private final Map<String, String> blobs = new LinkedHashMap<>();
    private final String commit;
    private final Process batch;
    private final OutputStream ask;
    private final InputStream answers;

    GitTree(Path gitDir, String rev) throws IOException {
        this.commit = run(gitDir, "rev-parse", rev).strip();
        for (String line : run(gitDir, "ls-tree", "-r", "-z", commit).split("\0")) {
            int tab = line.indexOf('\t');
            if (tab < 0) {
                continue;
            }
            String[] meta = line.substring(0, tab).split(" ");
            if (meta[1].equals("blob")) {
                blobs.put(line.substring(tab + 1), meta[2]);
            }
        }
        batch = new ProcessBuilder("git", "--git-dir", gitDir.toString(), "cat-file", "--batch")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        ask = batch.getOutputStream();
        answers = new BufferedInputStream(batch.getInputStream());
    }

    String commit() {
        return commit;
    }

    /** Every file path of the commit, in git's order. */
    Iterable<String> paths() {
        return blobs.keySet();
    }

    boolean exists(String path) {
        return blobs.containsKey(path);
    }

    /** The file's bytes, or null when the path is not in the commit or the mirror lacks the blob. */
    byte[] read(String path) throws IOException {
        String sha = blobs.get(path);
        if (sha == null) {
            return null;
        }
        ask.write((sha + "\n").getBytes(StandardCharsets.US_ASCII));
        ask.flush();
        String header = line();
        String[] h = header.split(" ");
        if (h.length < 3 || !h[1].equals("blob")) {
            return null; // "<sha> missing"
        }
        int size = Integer.parseInt(h[2]);
        byte[] data = answers.readNBytes(size);
        answers.read(); // the newline after the content
        return data;
    }

    private String line() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int b; (b = answers.read()) != '\n'; ) {
            if (b < 0) {
                throw new IOException("git cat-file ended");
            }
            out.write(b);
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    private static String run(Path gitDir, String... args) throws IOException {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "git";
        cmd[1] = "--git-dir";
        cmd[2] = gitDir.toString();
        System.arraycopy(args, 0, cmd, 3, args.length);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = p.getInputStream().readAllBytes();
        try {
            if (p.waitFor() != 0) {
                throw new IOException("git " + String.join(" ", args) + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        ask.close();
        batch.destroy();
    }
}
