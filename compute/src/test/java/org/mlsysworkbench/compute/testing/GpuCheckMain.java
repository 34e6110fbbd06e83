package org.mlsysworkbench.compute.testing;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.ClassNameFilter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.mlsysworkbench.algorithms.backends.BackendsBenchmark;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.core.BenchmarkReport;
import org.mlsysworkbench.algorithms.core.BenchmarkSuite;
import org.mlsysworkbench.algorithms.core.CancellationToken;
import org.mlsysworkbench.algorithms.core.DeviceInfo;
import org.mlsysworkbench.algorithms.core.EnvInfo;
import org.mlsysworkbench.compute.core.VulkanDevices;
import org.mlsysworkbench.compute.kernels.VulkanBackend;

/**
 * Entry point of the gpu-check bundle (scripts/gpu-check.sh), for a GPU machine without Maven:
 * <ul>
 *   <li>{@code devices OUT.csv}: every Vulkan device with its properties;</li>
 *   <li>{@code tests OUT.csv}: the {@code gpu}-tagged tests of {@code org.mlsysworkbench.compute}
 *       (parity, lifecycle, validation), one row per test; exit status 1 when any fails;</li>
 *   <li>{@code bench OUT.csv [--quick]}: the Backends benchmark suite on the Vulkan device beside the CPU.</li>
 *   <li>{@code suite ID OUT.csv [--quick]}: one bench's suite ({@code attention}, {@code sampling}, {@code a2q},
 *       {@code sylvie}, {@code cnnquant}, {@code nerf}, {@code core}) with the Vulkan backend; the suites
 *       themselves time the CPU twins beside the Vulkan kernels, so their ratios come from one run.</li>
 * </ul>
 * Device choice and strictness come from {@code -Dworkbench.device}, {@code -Dworkbench.requireGpu},
 * {@code -Dworkbench.requireHardwareGpu} and {@code -Dworkbench.validation}, as in Maven test runs.
 */
public final class GpuCheckMain {

    private GpuCheckMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: GpuCheckMain devices|tests|bench OUT.csv [--quick] | suite ID OUT.csv [--quick]");
            System.exit(2);
        }
        if ("suite".equals(args[0])) {
            if (args.length < 3) {
                System.err.println("usage: GpuCheckMain suite ID OUT.csv [--quick]");
                System.exit(2);
            }
            System.exit(suite(args[1], Path.of(args[2]), args.length > 3 && "--quick".equals(args[3])));
        }
        Path out = Path.of(args[1]);
        int status;
        switch (args[0]) {
            case "devices": status = devices(out); break;
            case "tests": status = tests(out); break;
            case "bench": status = bench(out, args.length > 2 && "--quick".equals(args[2])); break;
            default:
                System.err.println("unknown command " + args[0]);
                status = 2;
        }
        System.exit(status);
    }

    private static String csv(String s) {
        String t = s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
        return t.contains(",") || t.contains("\"") ? '"' + t.replace("\"", "\"\"") + '"' : t;
    }

    private static int devices(Path out) throws IOException {
        List<DeviceInfo> devices = VulkanDevices.list();
        StringBuilder sb = new StringBuilder("index,name,type,driver,api,property,value\n");
        for (int i = 0; i < devices.size(); i++) {
            DeviceInfo d = devices.get(i);
            System.out.printf("[%d] %s (%s), driver %s, Vulkan %s%n", i, d.name(), d.type(), d.driver(),
                    d.apiVersion());
            for (Map.Entry<String, String> e : new java.util.TreeMap<>(d.properties()).entrySet()) {
                sb.append(i).append(',').append(csv(d.name())).append(',').append(d.type()).append(',')
                        .append(csv(d.driver())).append(',').append(d.apiVersion()).append(',').append(e.getKey())
                        .append(',').append(csv(e.getValue())).append('\n');
            }
        }
        Files.writeString(out, sb.toString(), StandardCharsets.UTF_8);
        if (devices.isEmpty()) {
            System.out.println("no Vulkan device (loader: " + VulkanDevices.loaderError() + ")");
            return 1;
        }
        return 0;
    }

    private static int tests(Path out) throws IOException {
        StringBuilder sb = new StringBuilder("class,test,status,seconds,message\n");
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger passed = new AtomicInteger();
        Map<String, Long> started = new java.util.concurrent.ConcurrentHashMap<>();
        PrintStream console = System.out;
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void executionStarted(TestIdentifier id) {
                started.put(id.getUniqueId(), System.nanoTime());
            }

            @Override
            public void executionSkipped(TestIdentifier id, String reason) {
                row(id, "SKIPPED", 0, reason);
            }

            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                double s = (System.nanoTime() - started.getOrDefault(id.getUniqueId(), System.nanoTime())) / 1e9;
                String message = result.getThrowable().map(Throwable::toString).orElse("");
                boolean bad = result.getStatus() != TestExecutionResult.Status.SUCCESSFUL;
                if (id.isTest() || bad) {
                    if (bad && !(result.getStatus() == TestExecutionResult.Status.ABORTED)) {
                        failed.incrementAndGet();
                    } else if (!bad) {
                        passed.incrementAndGet();
                    }
                    row(id, result.getStatus().toString(), s, message);
                }
            }

            private synchronized void row(TestIdentifier id, String status, double seconds, String message) {
                String cls = id.getSource().map(Object::toString).orElse("");
                int at = cls.indexOf("className = '");
                if (at >= 0) {
                    cls = cls.substring(at + 13, cls.indexOf('\'', at + 13));
                }
                sb.append(csv(cls)).append(',').append(csv(id.getDisplayName())).append(',').append(status)
                        .append(',').append(String.format(Locale.ROOT, "%.3f", seconds)).append(',')
                        .append(csv(message)).append('\n');
                console.printf("%-10s %s %s%n", status, cls.substring(cls.lastIndexOf('.') + 1), id.getDisplayName());
            }
        };
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage("org.mlsysworkbench.compute"))
                .filters(TagFilter.includeTags("gpu"), ClassNameFilter.includeClassNamePatterns(".*Test"))
                .build();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, listener);
        Files.writeString(out, sb.toString(), StandardCharsets.UTF_8);
        System.out.printf("gpu tests: %d passed, %d failed%n", passed.get(), failed.get());
        return failed.get() == 0 && passed.get() > 0 ? 0 : 1;
    }

    private static int bench(Path out, boolean quick) throws IOException {
        try (VulkanBackend vulkan = VulkanBackend.create(System.getProperty("workbench.device"))) {
            System.out.println("# vulkan device: " + vulkan.device().name() + " (" + vulkan.device().type() + "), "
                    + vulkan.device().driver());
            BenchmarkReport report = new BenchmarkReport(r -> System.out.printf(Locale.ROOT,
                    "%-44s %-10s %14.4f %-8s %s%n", r.caseName(), r.metric(), r.value(), r.unit(), r.note()));
            new BackendsBenchmark(() -> List.of(vulkan)).run(report, Backend.cpu(), quick, new CancellationToken());
            report.writeCsv(out, EnvInfo.capture(vulkan, "gpu-check bench backends", ""));
        }
        return 0;
    }

    /**
     * The suites by id, named by class because some live in modules that {@code compute} cannot depend on
     * (the NeRF renderer's suite is in {@code render}); the bundle carries their jars.
     */
    private static final Map<String, String> SUITES = Map.of(
            "attention", "org.mlsysworkbench.algorithms.attention.AttentionBenchmark",
            "sampling", "org.mlsysworkbench.algorithms.graph.sampling.SamplingBenchmark",
            "a2q", "org.mlsysworkbench.algorithms.graph.quant.A2qBenchmark",
            "sylvie", "org.mlsysworkbench.algorithms.graph.distributed.SylvieBenchmark",
            "cnnquant", "org.mlsysworkbench.algorithms.cnnquant.CnnQuantBenchmark",
            "nerf", "org.mlsysworkbench.render.nerf.NerfBenchmark",
            "core", "org.mlsysworkbench.compute.core.CoreBenchmark");

    private static int suite(String id, Path out, boolean quick) throws IOException {
        String className = SUITES.get(id);
        if (className == null) {
            System.err.println("unknown suite " + id + "; known: " + new TreeSet<>(SUITES.keySet()));
            return 2;
        }
        BenchmarkSuite suite;
        try {
            suite = (BenchmarkSuite) Class.forName(className).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            System.err.println("suite " + id + ": cannot load " + className + " (" + e + ")");
            return 2;
        }
        try (VulkanBackend vulkan = VulkanBackend.create(System.getProperty("workbench.device"))) {
            System.out.println("# suite " + id + " on vulkan device: " + vulkan.device().name() + " ("
                    + vulkan.device().type() + "), " + vulkan.device().driver());
            BenchmarkReport report = new BenchmarkReport(r -> System.out.printf(Locale.ROOT,
                    "%-44s %-16s %14.4f %-8s %s%n", r.caseName(), r.metric(), r.value(), r.unit(), r.note()));
            suite.run(report, vulkan, quick, new CancellationToken());
            report.writeCsv(out, EnvInfo.capture(vulkan, "gpu-check suite " + id, ""));
        }
        return 0;
    }
}
