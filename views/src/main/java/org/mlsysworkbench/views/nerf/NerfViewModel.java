package org.mlsysworkbench.views.nerf;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.core.BenchDefinition;
import org.mlsysworkbench.algorithms.core.CancelledException;
import org.mlsysworkbench.algorithms.core.ConfigException;
import org.mlsysworkbench.algorithms.core.Json;
import org.mlsysworkbench.algorithms.core.MetricsSink;
import org.mlsysworkbench.algorithms.core.RunFolder;
import org.mlsysworkbench.algorithms.nerf.CpuNerfRenderKernels;
import org.mlsysworkbench.algorithms.nerf.NerfCheckpoint;
import org.mlsysworkbench.algorithms.nerf.NerfFormatException;
import org.mlsysworkbench.algorithms.nerf.EnergyModel;
import org.mlsysworkbench.algorithms.nerf.NerfConfig;
import org.mlsysworkbench.algorithms.nerf.NerfModel;
import org.mlsysworkbench.algorithms.nerf.NerfRenderKernels;
import org.mlsysworkbench.algorithms.nerf.NerfResult;
import org.mlsysworkbench.algorithms.nerf.NerfViews;
import org.mlsysworkbench.algorithms.nerf.ProceduralScenes;
import org.mlsysworkbench.algorithms.nerf.RayTrace;
import org.mlsysworkbench.render.nerf.FrameMailbox;
import org.mlsysworkbench.render.nerf.OrbitCamera;
import org.mlsysworkbench.render.nerf.PreviewPipeline;
import org.mlsysworkbench.render.nerf.RenderedFrame;
import org.mlsysworkbench.views.core.TaskRunner;

/**
 * State of the SpikingNeRF page: the config, the run (progress, cancel, result), the live preview (orbit camera,
 * which model, coarse while dragging; frames reach the view through a latest-wins {@link FrameMailbox} filled by a
 * {@link PreviewPipeline} render thread), the editable energy constants and the figures derived from them, and the
 * spike raster of a chosen pixel. No nodes; tests drive it with {@link TaskRunner#sameThread()}.
 */
public final class NerfViewModel implements AutoCloseable {

    /** The preview model before any run: the exact volume scene sampled on a grid (no training). */
    public static final String SCENE_GRID = "scene grid";
    static final int COARSE_FACTOR = 4;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

    /** One training-curve point recorded by a run (loss per step, held-out PSNR and SSIM per evaluation). */
    public record LivePoint(String series, long step, double value) {
    }

    /** One bar of the energy panel. */
    public record EnergyRow(String variant, String layer, double macs, double sops, double energyUj) {
    }

    private final BenchDefinition<NerfConfig, NerfResult> bench;
    private final TaskRunner tasks;
    private final Supplier<Backend> backend;
    private final Path runsDir;
    private NerfConfig config;
    private final StringProperty scene = new SimpleStringProperty();
    private final IntegerProperty fineIterations = new SimpleIntegerProperty();
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("Press Run to train the scene.");
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyObjectWrapper<NerfResult> result = new ReadOnlyObjectWrapper<>();
    private final DoubleProperty azimuth = new SimpleDoubleProperty(30);
    private final DoubleProperty elevation = new SimpleDoubleProperty(30);
    private final DoubleProperty radius = new SimpleDoubleProperty(ProceduralScenes.CAMERA_RADIUS);
    private final BooleanProperty dragging = new SimpleBooleanProperty(false);
    private final StringProperty previewModel = new SimpleStringProperty(SCENE_GRID);
    private final IntegerProperty previewSize = new SimpleIntegerProperty(128);
    private final ObservableList<String> previewModels = FXCollections.observableArrayList(SCENE_GRID);
    /**
     * Compare view, the preview model left of the split and right of it: nothing (OFF), the ANN, their difference,
     * the ground truth of the nearest held-out view, or the error heat map against it.
     */
    public enum CompareMode { OFF, ANN, DIFFERENCE, GROUND_TRUTH, ERROR }

    private final javafx.beans.property.ObjectProperty<CompareMode> compare =
            new javafx.beans.property.SimpleObjectProperty<>(CompareMode.OFF);
    private final DoubleProperty split = new SimpleDoubleProperty(0.5);
    private final ReadOnlyStringWrapper groundTruthNote = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<Integer> groundTruthView = new ReadOnlyObjectWrapper<>(-1);
    private final DoubleProperty macPj = new SimpleDoubleProperty(4.6);
    private final DoubleProperty acPj = new SimpleDoubleProperty(0.9);
    private final ReadOnlyDoubleWrapper reduction = new ReadOnlyDoubleWrapper(Double.NaN);
    private final ReadOnlyDoubleWrapper ceiling = new ReadOnlyDoubleWrapper(Double.NaN);
    private final ObservableList<EnergyRow> energyRows = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<RayTrace> raster = new ReadOnlyObjectWrapper<>();
    private final Map<String, NerfModel> models = new LinkedHashMap<>();
    private final FrameMailbox<RenderedFrame> mailbox = new FrameMailbox<>();
    private final NerfRenderKernels kernels;
    private final CpuNerfRenderKernels ownKernels;
    private final PreviewPipeline pipeline;
    private final java.util.concurrent.ConcurrentLinkedQueue<LivePoint> live =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final IntegerProperty previewShare = new SimpleIntegerProperty(50);
    private TaskRunner.Handle handle;
    private Path openedCheckpoint;

    public NerfViewModel(BenchDefinition<NerfConfig, NerfResult> bench, TaskRunner tasks, Supplier<Backend> backend,
                         Path runsDir) {
        this.bench = bench;
        this.tasks = tasks;
        this.backend = backend;
        this.runsDir = runsDir;
        Backend b = backend.get();
        this.ownKernels = b.kernels(NerfRenderKernels.class).isPresent() ? null : new CpuNerfRenderKernels();
        this.kernels = ownKernels != null ? ownKernels : b.kernels(NerfRenderKernels.class).orElseThrow();
        this.pipeline = new PreviewPipeline(kernels, mailbox, COARSE_FACTOR);
        models.put(SCENE_GRID, ProceduralScenes.volumeModel(48));
        load(bench.defaults());
        scene.addListener((o, a, v) -> config());
        fineIterations.addListener((o, a, v) -> config());
        macPj.addListener((o, a, v) -> updateEnergy());
        acPj.addListener((o, a, v) -> updateEnergy());
        azimuth.addListener((o, a, v) -> requestFrame());
        elevation.addListener((o, a, v) -> requestFrame());
        radius.addListener((o, a, v) -> requestFrame());
        dragging.addListener((o, a, v) -> requestFrame());
        previewModel.addListener((o, a, v) -> requestFrame());
        previewSize.addListener((o, a, v) -> requestFrame());
        compare.addListener((o, a, v) -> requestFrame());
        split.addListener((o, a, v) -> requestFrame());
        running.addListener((o, a, v) -> applyShare());
        previewShare.addListener((o, a, v) -> applyShare());
    }

    /** Split view against the trained ANN of the last run (no effect before a run or when previewing the ANN). */
    public javafx.beans.property.ObjectProperty<CompareMode> compareProperty() {
        return compare;
    }

    /** Where the split sits, as a fraction of the image width (0..1). */
    public DoubleProperty splitProperty() {
        return split;
    }

    /**
     * What the ground-truth side shows: ground truth exists only at the data set's poses, so the preview snaps to the
     * nearest held-out view and says so here (empty when no ground-truth mode is chosen).
     */
    public ReadOnlyStringProperty groundTruthNoteProperty() {
        return groundTruthNote.getReadOnlyProperty();
    }

    /** The held-out view the ground-truth modes show (-1: none). */
    public ReadOnlyObjectProperty<Integer> groundTruthViewProperty() {
        return groundTruthView.getReadOnlyProperty();
    }

    public StringProperty sceneProperty() {
        return scene;
    }

    public IntegerProperty fineIterationsProperty() {
        return fineIterations;
    }

    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<NerfResult> resultProperty() {
        return result.getReadOnlyProperty();
    }

    public DoubleProperty azimuthProperty() {
        return azimuth;
    }

    public DoubleProperty elevationProperty() {
        return elevation;
    }

    public DoubleProperty radiusProperty() {
        return radius;
    }

    /** True while the user drags the camera: previews are rendered coarse. */
    public BooleanProperty draggingProperty() {
        return dragging;
    }

    /** Which model the preview shows: {@link #SCENE_GRID} or a trained variant. */
    public StringProperty previewModelProperty() {
        return previewModel;
    }

    public ObservableList<String> previewModels() {
        return previewModels;
    }

    public IntegerProperty previewSizeProperty() {
        return previewSize;
    }

    /** Energy per MAC in pJ (editable; 4.6 by default). */
    public DoubleProperty macPjProperty() {
        return macPj;
    }

    /** Energy per accumulate in pJ (editable; 0.9 by default). */
    public DoubleProperty acPjProperty() {
        return acPj;
    }

    /** Modelled energy reduction of the first SNN variant vs the ANN of the same shape (NaN before a run). */
    public ReadOnlyDoubleProperty reductionProperty() {
        return reduction.getReadOnlyProperty();
    }

    /** The zero-spike ceiling for the current network shape (77.06 % for 39-128-128-3). */
    public ReadOnlyDoubleProperty ceilingProperty() {
        return ceiling.getReadOnlyProperty();
    }

    public ObservableList<EnergyRow> energyRows() {
        return energyRows;
    }

    /** The spike raster of the last traced pixel. */
    public ReadOnlyObjectProperty<RayTrace> rasterProperty() {
        return raster.getReadOnlyProperty();
    }

    /** The mailbox the view drains (latest wins, stale generations dropped). */
    public FrameMailbox<RenderedFrame> mailbox() {
        return mailbox;
    }

    /** The newest preview generation requested. */
    public long generation() {
        return pipeline.generation();
    }

    public NerfConfig currentConfig() {
        return config;
    }

    /** Puts a config into the fields. */
    public void load(NerfConfig c) {
        config = c;
        scene.set(c.scene());
        fineIterations.set(c.fineIterations());
        macPj.set(c.macPj());
        acPj.set(c.acPj());
        ceiling.set(new EnergyModel(c.macPj(), Math.max(0, c.acPj())).ceiling(c.featureChannels() + 27, c.hidden()));
        config();
    }

    /** Parses a config document; a bad one throws {@link ConfigException} and changes nothing. */
    public void loadJson(String json) {
        load(bench.parseConfig(json, "config"));
    }

    /** The config the fields describe, validated; null (with the error set) when invalid. */
    public NerfConfig config() {
        try {
            NerfConfig c = config;
            NerfConfig edited = new NerfConfig(c.schemaVersion(), c.seed(), scene.get(), c.dataPath(), c.imageSize(),
                    c.trainViews(), c.testViews(), c.background(), c.holdoutEvery(), c.boxMin(), c.boxMax(),
                    c.sweepResolutions(), c.coarseResolution(), c.coarseIterations(), c.fineResolution(),
                    fineIterations.get(), c.raysPerBatch(), c.gridLr(), c.netLr(), c.hidden(), c.featureChannels(),
                    c.variants(), c.tau(), c.threshold(), c.alphaInit(), c.maskThreshold(), c.colorThreshold(),
                    macPj.get(), acPj.get(), c.threads());
            edited.validate();
            error.set("");
            return edited;
        } catch (ConfigException e) {
            error.set(e.getMessage());
            return null;
        }
    }

    public String configJson() {
        NerfConfig c = config();
        return Json.write(c == null ? config : c);
    }

    /** Trains the scene (all variants) in a run folder, like {@code mlsys-workbench run nerf}. */
    public void run() {
        if (running.get()) {
            return;
        }
        NerfConfig c = config();
        if (c == null) {
            status.set("Cannot run: " + error.get());
            return;
        }
        Path dir = runsDir == null ? null : runsDir.resolve(bench.id()).resolve(LocalDateTime.now().format(STAMP));
        running.set(true);
        status.set("Training…");
        Backend b = backend.get();
        live.clear();
        MetricsSink liveSink = (series, step, value) -> {
            if (series.endsWith("_train_loss") || series.endsWith("_eval_ssim") || series.endsWith("_eval_psnr_db")) {
                live.add(new LivePoint(series, step, value));
            }
        };
        handle = tasks.submit("SpikingNeRF: " + c.scene(), (progress, cancel) -> {
            if (dir == null) {
                return bench.experiment().run(c, new org.mlsysworkbench.algorithms.core.RunContext(
                        new java.util.SplittableRandom(c.seed()), progress, cancel, liveSink, b, null));
            }
            return RunFolder.run(bench, c, dir, b, progress, cancel, liveSink).result();
        }, this::accept, failure -> {
            running.set(false);
            status.set(failure instanceof CancelledException ? "Cancelled." : "Failed: " + failure.getMessage());
        });
    }

    /** Hands every queued training-curve point to {@code sink}, oldest first (the view's timer calls this). */
    public void drainLive(java.util.function.Consumer<LivePoint> sink) {
        for (LivePoint p; (p = live.poll()) != null; ) {
            sink.accept(p);
        }
    }

    /**
     * The preview's share of the machine while training runs, in percent (0 pauses the preview until training
     * ends; 100 renders as fast as it can). Idle, the preview always gets the whole machine.
     */
    public IntegerProperty previewShareProperty() {
        return previewShare;
    }

    /** The share the render pipeline is held to now (0..1): {@link #previewShareProperty()} while training, else 1. */
    public double pipelineShare() {
        return pipeline.share();
    }

    private void applyShare() {
        pipeline.setShare(running.get() ? Math.max(0, Math.min(100, previewShare.get())) / 100.0 : 1.0);
    }

    public void cancel() {
        if (handle != null) {
            handle.cancel();
        }
    }

    /** Shows a finished result (also used when a workspace restores one). */
    public void accept(NerfResult r) {
        running.set(false);
        result.set(r);
        models.keySet().retainAll(List.of(SCENE_GRID));
        for (NerfResult.Variant v : r.variants()) {
            models.put(v.name(), v.model());
        }
        previewModels.setAll(models.keySet());
        StringBuilder sb = new StringBuilder();
        for (NerfResult.Variant v : r.variants()) {
            sb.append(String.format(Locale.ROOT, "%s %.2f dB  ", v.name(), v.psnrDb()));
        }
        status.set(sb.toString().trim());
        updateEnergy();
        previewModel.set(r.variants().get(r.variants().size() > 1 ? 1 : 0).name());
        requestFrame();
    }

    private void updateEnergy() {
        NerfResult r = result.get();
        double mac = Math.max(1e-9, macPj.get());
        double ac = Math.max(0, acPj.get());
        EnergyModel e = new EnergyModel(mac, ac);
        if (config != null) {
            ceiling.set(e.ceiling(config.featureChannels() + 27, config.hidden()));
        }
        if (r == null) {
            return;
        }
        energyRows.clear();
        double red = Double.NaN;
        for (NerfResult.Variant v : r.variants()) {
            EnergyModel.OpCounts ops = v.ops();
            double h = ops.hidden();
            if (v.name().equals("ann")) {
                energyRows.add(new EnergyRow(v.name(), "fc1", ops.snnMacs(), 0, mac * ops.snnMacs() * 1e-6));
                energyRows.add(new EnergyRow(v.name(), "fc2", ops.shaded() * h * h, 0, mac * ops.shaded() * h * h * 1e-6));
                energyRows.add(new EnergyRow(v.name(), "fc3", ops.shaded() * h * 3, 0, mac * ops.shaded() * h * 3 * 1e-6));
            } else {
                energyRows.add(new EnergyRow(v.name(), "fc1", ops.snnMacs(), 0, mac * ops.snnMacs() * 1e-6));
                energyRows.add(new EnergyRow(v.name(), "fc2", 0, ops.spikes1() * h, ac * ops.spikes1() * h * 1e-6));
                energyRows.add(new EnergyRow(v.name(), "fc3", 0, ops.spikes2() * 3, ac * ops.spikes2() * 3 * 1e-6));
                if (Double.isNaN(red)) {
                    red = e.reduction(ops);
                }
            }
        }
        reduction.set(red);
    }

    /**
     * Opens a saved scene ({@code .snerf}, written by every run) for the preview without retraining: it becomes a
     * preview model named after the file and is shown. A bad file sets {@link #errorProperty()} with the file and
     * the field that is wrong, and every loaded scene stays as it was.
     *
     * @return true when the scene was loaded
     */
    public boolean openCheckpoint(Path file) {
        NerfModel m;
        try {
            m = NerfCheckpoint.load(file);
        } catch (NerfFormatException e) {
            error.set(e.getMessage());
            status.set("Could not open " + file.getFileName() + ": " + e.getMessage());
            return false;
        }
        String name = "saved: " + file.getFileName();
        openedCheckpoint = file;
        models.put(name, m);
        if (!previewModels.contains(name)) {
            previewModels.add(name);
        }
        error.set("");
        status.set("Opened " + file.getFileName() + " (" + m.nx + "x" + m.ny + "x" + m.nz + ", "
                + (m.net == null ? "no colour network" : m.net.kind) + "); no retraining needed");
        previewModel.set(name);
        requestFrame();
        return true;
    }

    /** The saved scene opened last (null when none): workspaces reopen it. */
    public Path openedCheckpoint() {
        return openedCheckpoint;
    }

    /** The renderer the preview uses: the backend's {@link NerfRenderKernels} (Vulkan) or the CPU twin. */
    public String rendererName() {
        return kernels.name();
    }

    /** Asks the render thread for a frame of the current camera and model; returns its generation. */
    public long requestFrame() {
        NerfModel m = models.get(previewModel.get());
        if (m == null) {
            return pipeline.generation();
        }
        OrbitCamera cam = new OrbitCamera(azimuth.get(), elevation.get(), radius.get(),
                ProceduralScenes.CAMERA_ANGLE_X);
        float bgLevel = config == null ? 1f : (float) config.background();
        CompareMode mode = compare.get() == null ? CompareMode.OFF : compare.get();
        boolean groundTruth = mode == CompareMode.GROUND_TRUTH || mode == CompareMode.ERROR;
        NerfModel other = mode == CompareMode.ANN || mode == CompareMode.DIFFERENCE ? models.get("ann") : null;
        PreviewPipeline.Reference ref = groundTruth ? reference(cam, mode == CompareMode.ERROR) : null;
        if (!groundTruth) {
            groundTruthView.set(-1);
            groundTruthNote.set("");
        }
        return pipeline.request(new PreviewPipeline.Request(m, cam, previewSize.get(), previewSize.get(),
                dragging.get(), new float[]{bgLevel, bgLevel, bgLevel},
                new EnergyModel(Math.max(1e-9, macPj.get()), Math.max(0, acPj.get())), other == m ? null : other,
                split.get(), mode == CompareMode.DIFFERENCE, ref));
    }

    /** The held-out view nearest to the camera (by camera position), or null with the note saying why. */
    private PreviewPipeline.Reference reference(OrbitCamera cam, boolean error) {
        NerfResult r = result.get();
        if (r == null || r.test() == null || r.test().count() == 0) {
            groundTruthView.set(-1);
            groundTruthNote.set("Ground truth exists only at the data set's poses: run the bench to get its held-out"
                    + " views.");
            return null;
        }
        NerfViews test = r.test();
        int best = nearestView(cam.pose(), test);
        float[] p = test.poses().get(best);
        float[] c = cam.pose();
        double angle = Math.toDegrees(angleBetween(c[3], c[7], c[11], p[3], p[7], p[11]));
        groundTruthView.set(best);
        groundTruthNote.set(String.format(Locale.ROOT, "Ground truth exists only at the data set's poses: showing"
                + " held-out view %d of %d (%.0f° from the camera), the model rendered from that pose; %s right of"
                + " the split.", best + 1, test.count(), angle, error
                ? String.format(Locale.ROOT, "|model - truth| as a heat map (full scale %.2f)",
                PreviewPipeline.ERROR_FULL_SCALE) : "the ground truth"));
        return new PreviewPipeline.Reference(p, test.focal(), test.width(), test.height(), test.rgb().get(best),
                error);
    }

    /** The index of the view whose camera centre is nearest in direction (then distance) to the pose's. */
    static int nearestView(float[] pose, NerfViews views) {
        int best = 0;
        double bestScore = Double.POSITIVE_INFINITY;
        for (int i = 0; i < views.count(); i++) {
            float[] p = views.poses().get(i);
            double score = angleBetween(pose[3], pose[7], pose[11], p[3], p[7], p[11]);
            if (score < bestScore - 1e-12) {
                bestScore = score;
                best = i;
            }
        }
        return best;
    }

    private static double angleBetween(double ax, double ay, double az, double bx, double by, double bz) {
        double na = Math.sqrt(ax * ax + ay * ay + az * az);
        double nb = Math.sqrt(bx * bx + by * by + bz * bz);
        if (na == 0 || nb == 0) {
            return Math.PI;
        }
        return Math.acos(Math.max(-1, Math.min(1, (ax * bx + ay * by + az * bz) / (na * nb))));
    }

    /** Traces the ray through preview pixel (x, y) of the current model for the spike raster. */
    public RayTrace trace(int x, int y) {
        NerfModel m = models.get(previewModel.get());
        if (m == null) {
            return null;
        }
        int s = previewSize.get();
        OrbitCamera cam = new OrbitCamera(azimuth.get(), elevation.get(), radius.get(),
                ProceduralScenes.CAMERA_ANGLE_X);
        float bgLevel = config == null ? 1f : (float) config.background();
        RayTrace t = RayTrace.of(m, cam.pose(), cam.focal(s), s, s, Math.max(0, Math.min(s - 1, x)),
                Math.max(0, Math.min(s - 1, y)), new float[]{bgLevel, bgLevel, bgLevel});
        raster.set(t);
        return t;
    }

    @Override
    public void close() {
        pipeline.close();
        if (ownKernels != null) {
            ownKernels.close();
        }
    }
}
