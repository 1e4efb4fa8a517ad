package org.rlhf4j.models.bench;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PyTorch eager peer of {@link GenerationBenchmark}: a Python process that runs the same Llama
 * generation with plain torch operators ({@code generation_peer.py}, a resource of this package)
 * and serves one generation request at a time, so that its measurements can alternate with the
 * Java ones.
 *
 * <p>The process runs with {@code OMP_WAIT_POLICY=PASSIVE}, so its OpenMP threads sleep instead of
 * spinning while the Java side measures, and, when a thread count is given, with
 * {@code OMP_NUM_THREADS} and {@code OPENBLAS_NUM_THREADS} set to it and
 * {@code torch.set_num_threads} called with it.
 */
final class GenerationPeer implements AutoCloseable {

    /** The interpreter that the project's speed comparisons use: Debian's, with Debian's python3-torch. */
    static final Path DEFAULT_PYTHON = Path.of("/usr/bin/python3");
    /** The command that installs the peer on Debian. */
    static final String INSTALL_COMMAND = "apt-get install -y python3-torch libopenblas0-pthread";

    private static final Logger logger = LoggerFactory.getLogger(GenerationPeer.class);
    private static final String SCRIPT = "generation_peer.py";
    private static final long EXIT_WAIT_SECONDS = 10;

    private final Process process;
    private final BufferedReader replies;
    private final BufferedWriter requests;
    private final Path script;
    private final Info info;

    /** The peer's torch version and thread counts, as it reports them on start. */
    record Info(String torchVersion, int threads, int interopThreads) {}

    /** One timed generation of the peer: the seconds it took and the generated ids per prompt. */
    record Run(double seconds, int[][] tokens) {}

    /** Thrown when the peer cannot start. The message gives the reason in one line. */
    static final class UnavailableException extends Exception {

        private static final long serialVersionUID = 1L;

        UnavailableException(String message) {
            super(message);
        }
    }

    private GenerationPeer(Process process, Path script, Info info, BufferedReader replies,
            BufferedWriter requests) {
        this.process = process;
        this.script = script;
        this.info = info;
        this.replies = replies;
        this.requests = requests;
    }

    /**
     * Starts the peer and waits until it has loaded the model.
     *
     * @param python the Python interpreter
     * @param model the GGUF model file
     * @param threads the intra-op and inter-op thread count, or 0 for torch's default
     * @return the running peer; the caller closes it
     * @throws UnavailableException when the interpreter is missing, torch or NumPy cannot be
     *     imported, or the model cannot be read
     */
    static GenerationPeer start(Path python, Path model, int threads) throws UnavailableException {
        if (!Files.isExecutable(python)) {
            throw new UnavailableException(python + " was not found");
        }
        Path script = extractScript();
        List<String> command = new ArrayList<>(List.of(python.toString(), script.toString(),
                "--model", model.toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        if (threads > 0) {
            command.addAll(List.of("--threads", Integer.toString(threads)));
            builder.command(command);
            builder.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
            builder.environment().put("OPENBLAS_NUM_THREADS", Integer.toString(threads));
        }
        Process process = null;
        try {
            process = builder.start();
            BufferedReader replies = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            BufferedWriter requests = new BufferedWriter(
                    new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
            String first = replies.readLine();
            if (first == null) {
                throw new UnavailableException(python + " " + SCRIPT + " exited with code "
                        + exitCode(process) + " before it was ready; see its messages above");
            }
            Info info = parseReady(first);
            logger.info("Peer ready: torch {} with {} threads ({} inter-op)", info.torchVersion(), info.threads(),
                    info.interopThreads());
            return new GenerationPeer(process, script, info, replies, requests);
        } catch (IOException e) {
            destroy(process, script);
            throw new UnavailableException("cannot run " + python + ": " + e.getMessage());
        } catch (UnavailableException | RuntimeException e) {
            destroy(process, script);
            throw e;
        }
    }

    /** Returns what the peer reported on start. */
    Info info() {
        return info;
    }

    /**
     * Runs one generation in the peer and returns its own timing of it.
     *
     * @param prompts the prompt ids, BOS included
     * @param newTokens the number of tokens generated per prompt
     * @param kvCache whether the peer keeps a KV cache
     * @param temperature the sampling temperature; 0 takes the argmax
     * @param seed the seed of the peer's random number generator
     * @return the peer's time and tokens
     * @throws IOException when the peer has stopped or its reply is not the expected JSON
     */
    Run generate(List<int[]> prompts, int newTokens, boolean kvCache, double temperature, long seed)
            throws IOException {
        requests.write(request(prompts, newTokens, kvCache, temperature, seed));
        requests.newLine();
        requests.flush();
        String line = replies.readLine();
        if (line == null) {
            throw new IOException("the peer exited with code " + exitCode(process) + " during a request");
        }
        return parseRun(line);
    }

    /** Ends the peer: closes its input, waits briefly for it to exit, and deletes the extracted script. */
    @Override
    public void close() {
        destroy(process, script);
    }

    /** Builds the one-line JSON request for a generation. */
    static String request(List<int[]> prompts, int newTokens, boolean kvCache, double temperature, long seed) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("prompts", prompts);
        request.put("newTokens", newTokens);
        request.put("kvCache", kvCache);
        request.put("temperature", temperature);
        request.put("seed", seed);
        return new Gson().toJson(request);
    }

    /**
     * Parses the peer's first line.
     *
     * @param line the line
     * @return the peer's torch version and thread counts
     * @throws UnavailableException when the line reports an error or is not the expected JSON
     */
    static Info parseReady(String line) throws UnavailableException {
        JsonObject object;
        try {
            object = JsonParser.parseString(line).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new UnavailableException("the peer's first line is not JSON: " + line);
        }
        if (object.has("error")) {
            throw new UnavailableException(object.get("error").getAsString());
        }
        if (!object.has("ready") || !object.has("torch") || !object.has("threads")
                || !object.has("interopThreads")) {
            throw new UnavailableException("the peer's first line lacks ready, torch or threads: " + line);
        }
        return new Info(object.get("torch").getAsString(), object.get("threads").getAsInt(),
                object.get("interopThreads").getAsInt());
    }

    /**
     * Parses the peer's reply to a generation request.
     *
     * @param line the line
     * @return the seconds and tokens
     * @throws IOException when the line is not the expected JSON
     */
    static Run parseRun(String line) throws IOException {
        try {
            JsonObject object = JsonParser.parseString(line).getAsJsonObject();
            JsonArray rows = object.getAsJsonArray("tokens");
            if (!object.has("seconds") || rows == null) {
                throw new IOException("the peer's reply lacks seconds or tokens: " + line);
            }
            int[][] tokens = new int[rows.size()][];
            for (int i = 0; i < tokens.length; i++) {
                JsonArray row = rows.get(i).getAsJsonArray();
                tokens[i] = new int[row.size()];
                for (int j = 0; j < tokens[i].length; j++) {
                    tokens[i][j] = row.get(j).getAsInt();
                }
            }
            return new Run(object.get("seconds").getAsDouble(), tokens);
        } catch (JsonParseException | IllegalStateException | ClassCastException | UnsupportedOperationException e) {
            throw new IOException("the peer's reply is not the expected JSON: " + line, e);
        }
    }

    private static Path extractScript() throws UnavailableException {
        try (InputStream source = GenerationPeer.class.getResourceAsStream(SCRIPT)) {
            if (source == null) {
                throw new UnavailableException(SCRIPT + " is missing from the models module's resources");
            }
            Path script = Files.createTempFile("rlhf4j-generation-peer", ".py");
            Files.copy(source, script, StandardCopyOption.REPLACE_EXISTING);
            return script;
        } catch (IOException e) {
            throw new UnavailableException("cannot write " + SCRIPT + " to a temporary file: " + e.getMessage());
        }
    }

    private static String exitCode(Process process) {
        try {
            return process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS) ? Integer.toString(process.exitValue())
                    : "(still running)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }

    /** Closes the peer's input, waits for it to exit, ends it if it does not, and deletes the script. */
    private static void destroy(Process process, Path script) {
        if (process != null) {
            try {
                process.getOutputStream().close();
                if (!process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (IOException e) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try {
            Files.deleteIfExists(script);
        } catch (IOException e) {
            logger.debug("Cannot delete {}", script, e);
        }
    }

    /** Returns the first index where two token lists differ, or -1 when they are equal. */
    static int firstDifference(int[] expected, int[] actual) {
        int common = Math.min(expected.length, actual.length);
        for (int i = 0; i < common; i++) {
            if (expected[i] != actual[i]) {
                return i;
            }
        }
        return expected.length == actual.length ? -1 : common;
    }
}
