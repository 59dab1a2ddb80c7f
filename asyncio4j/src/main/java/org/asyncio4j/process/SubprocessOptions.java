package org.asyncio4j.process;

import java.io.File;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The keyword arguments of {@code createSubprocessExec}/{@code createSubprocessShell} and
 * {@code subprocessExec}/{@code subprocessShell} (asyncio's {@code stdin=}, {@code stdout=},
 * {@code stderr=}, {@code cwd=}, {@code env=}, {@code limit=}). Start from {@link #DEFAULTS}
 * (everything inherited, as asyncio's {@code create_subprocess_*}) or {@link #PIPES}
 * (three pipes, as asyncio's {@code loop.subprocess_*}) and change what you need:
 * {@code SubprocessOptions.DEFAULTS.withStdout(Subprocess.PIPE).withStderr(Subprocess.STDOUT)}.
 *
 * <p>Each stream is a {@link Redirect}: {@link Subprocess#PIPE}, {@link Subprocess#DEVNULL},
 * {@link Subprocess#INHERIT}, {@link Subprocess#STDOUT} (stderr only: into stdout), or any
 * of Java's file redirects ({@code Redirect.from(file)}, {@code Redirect.to(file)},
 * {@code Redirect.appendTo(file)}).
 *
 * @param stdin the child's standard input
 * @param stdout the child's standard output
 * @param stderr the child's standard error
 * @param cwd the child's working directory, or {@code null} for this process's
 * @param env the child's whole environment (asyncio's {@code env=} replaces it), or
 *     {@code null} to inherit this process's
 * @param limit the buffer limit of the {@code StreamReader}s of stdout and stderr
 *     (asyncio's {@code limit=}, 64 KiB by default)
 */
public record SubprocessOptions(Redirect stdin, Redirect stdout, Redirect stderr, Path cwd, Map<String, String> env,
        int limit) {
    /** asyncio's {@code create_subprocess_*} defaults: the three streams inherited, 64 KiB limit. */
    public static final SubprocessOptions DEFAULTS = new SubprocessOptions(Redirect.INHERIT, Redirect.INHERIT,
            Redirect.INHERIT, null, null, 64 * 1024);
    /** asyncio's {@code loop.subprocess_*} defaults: three pipes. */
    public static final SubprocessOptions PIPES = DEFAULTS.withStdin(Redirect.PIPE).withStdout(Redirect.PIPE)
            .withStderr(Redirect.PIPE);

    /** Checks the streams and the limit; copies the environment. */
    public SubprocessOptions {
        if (stdin == null || stdout == null || stderr == null) {
            throw new NullPointerException("stdin, stdout and stderr must not be null (use Subprocess.INHERIT), got "
                    + stdin + ", " + stdout + ", " + stderr);
        }
        if (stdin == Subprocess.STDOUT || stdout == Subprocess.STDOUT) {
            throw new IllegalArgumentException("Subprocess.STDOUT is only for stderr (stderr into stdout), got it for "
                    + (stdin == Subprocess.STDOUT ? "stdin" : "stdout"));
        }
        if (stdin != Subprocess.DEVNULL && (stdin.type() == Redirect.Type.WRITE || stdin.type() == Redirect.Type.APPEND)) {
            throw new IllegalArgumentException("stdin cannot be an output redirect, got " + stdin);
        }
        if (stdout.type() == Redirect.Type.READ || stderr.type() == Redirect.Type.READ) {
            throw new IllegalArgumentException("stdout and stderr cannot be input redirects, got " + stdout + " and "
                    + stderr);
        }
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be > 0 bytes, got " + limit);
        }
        env = env == null ? null : Map.copyOf(env);
    }

    /**
     * @param redirect the child's standard input
     * @return a copy with {@code stdin} changed
     */
    public SubprocessOptions withStdin(Redirect redirect) {
        return new SubprocessOptions(redirect, stdout, stderr, cwd, env, limit);
    }

    /**
     * @param redirect the child's standard output
     * @return a copy with {@code stdout} changed
     */
    public SubprocessOptions withStdout(Redirect redirect) {
        return new SubprocessOptions(stdin, redirect, stderr, cwd, env, limit);
    }

    /**
     * @param redirect the child's standard error, or {@link Subprocess#STDOUT}
     * @return a copy with {@code stderr} changed
     */
    public SubprocessOptions withStderr(Redirect redirect) {
        return new SubprocessOptions(stdin, stdout, redirect, cwd, env, limit);
    }

    /**
     * @param dir the child's working directory, or {@code null}
     * @return a copy with {@code cwd} changed
     */
    public SubprocessOptions withCwd(Path dir) {
        return new SubprocessOptions(stdin, stdout, stderr, dir, env, limit);
    }

    /**
     * @param environment the child's whole environment, or {@code null} to inherit
     * @return a copy with {@code env} changed
     */
    public SubprocessOptions withEnv(Map<String, String> environment) {
        return new SubprocessOptions(stdin, stdout, stderr, cwd, environment, limit);
    }

    /**
     * @param bytes the readers' buffer limit
     * @return a copy with {@code limit} changed
     */
    public SubprocessOptions withLimit(int bytes) {
        return new SubprocessOptions(stdin, stdout, stderr, cwd, env, bytes);
    }

    /** @return a builder for {@code command} with these options */
    ProcessBuilder builder(List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command);
        // Java has no DISCARD for input: read /dev/null instead (what asyncio's DEVNULL opens)
        pb.redirectInput(stdin == Subprocess.DEVNULL ? Redirect.from(new File("/dev/null")) : stdin);
        pb.redirectOutput(stdout);
        if (stderr == Subprocess.STDOUT) {
            pb.redirectErrorStream(true);
        } else {
            pb.redirectError(stderr);
        }
        if (cwd != null) {
            pb.directory(cwd.toFile());
        }
        if (env != null) {
            pb.environment().clear();
            pb.environment().putAll(env);
        }
        return pb;
    }

    boolean pipesStdin() {
        return stdin == Redirect.PIPE;
    }

    boolean pipesStdout() {
        return stdout == Redirect.PIPE;
    }

    boolean pipesStderr() {
        return stderr == Redirect.PIPE;
    }
}
