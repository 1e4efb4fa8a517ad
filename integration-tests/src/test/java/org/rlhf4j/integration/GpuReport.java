package org.rlhf4j.integration;

import ai.djl.engine.Engine;
import ai.djl.util.cuda.CudaUtils;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import org.rlhf4j.api.device.DeviceInfo;
import org.rlhf4j.hardware.CudaBackend;

/**
 * Collects the GPU suite's measurements in {@code target/gpu-report/gpu-report.json}: one section
 * per test, next to a description of the machine it ran on.
 */
final class GpuReport {

    private GpuReport() {}

    /** Returns the report file, under the folder named by {@code rlhf4j.gpu.report.dir}. */
    static Path file() {
        String dir = System.getProperty("rlhf4j.gpu.report.dir", "target/gpu-report");
        return Path.of(dir, "gpu-report.json");
    }

    /**
     * Adds or replaces one section and the machine description, then rewrites the file through a
     * temporary file and a rename.
     */
    static synchronized void write(String section, JsonObject values) throws IOException {
        Path file = file();
        Files.createDirectories(file.getParent());
        JsonObject report = Files.isRegularFile(file)
                ? JsonParser.parseString(Files.readString(file)).getAsJsonObject()
                : new JsonObject();
        report.add("machine", machine());
        report.add(section, values);
        Path temp = Files.createTempFile(file.getParent(), ".gpu-report", ".tmp");
        Files.writeString(temp, new GsonBuilder().setPrettyPrinting().create().toJson(report) + "\n");
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static JsonObject machine() {
        JsonObject machine = new JsonObject();
        machine.addProperty("recorded", Instant.now().toString());
        machine.addProperty("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        machine.addProperty("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        machine.addProperty("cpu_cores", Runtime.getRuntime().availableProcessors());
        machine.addProperty("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        machine.addProperty("cuda", cudaVersion());
        JsonArray gpus = new JsonArray();
        for (DeviceInfo device : new CudaBackend().devices()) {
            JsonObject gpu = new JsonObject();
            gpu.addProperty("index", device.index());
            gpu.addProperty("name", device.name());
            gpu.addProperty("total_memory_bytes", device.totalMemoryBytes());
            gpus.add(gpu);
        }
        machine.add("gpus", gpus);
        return machine;
    }

    private static String cudaVersion() {
        try {
            return CudaUtils.getCudaVersionString();
        } catch (RuntimeException | LinkageError e) {
            return "unknown (" + e + ")";
        }
    }

    /** Returns a JSON number, or JSON null for NaN and infinities. */
    static JsonElement number(double value) {
        return Double.isFinite(value) ? new JsonPrimitive(value) : JsonNull.INSTANCE;
    }
}
