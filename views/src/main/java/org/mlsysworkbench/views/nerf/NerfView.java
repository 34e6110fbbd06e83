package org.mlsysworkbench.views.nerf;

import java.nio.IntBuffer;
import java.util.Locale;
import javafx.animation.AnimationTimer;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Spinner;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextField;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelBuffer;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.ValueMarker;
import org.mlsysworkbench.algorithms.nerf.NerfResult;
import org.mlsysworkbench.algorithms.nerf.RayTrace;
import org.mlsysworkbench.render.nerf.RenderedFrame;
import org.mlsysworkbench.views.core.charts.CategoryBarChart;
import org.mlsysworkbench.views.core.charts.ChartKit;
import org.mlsysworkbench.views.core.charts.HeatmapChart;
import org.mlsysworkbench.views.core.charts.LiveXYChart;

/**
 * The SpikingNeRF page's nodes: controls, the live render (a {@code PixelBuffer}-backed image filled from the view
 * model's latest-wins mailbox by an {@link AnimationTimer} at most 30 times a second; drag to orbit, scroll to zoom,
 * click for a ray's spike raster), the training curve, the op/energy panel with the zero-spike ceiling line, TP vs
 * TC side by side and the spike raster. Binds to {@link NerfViewModel}; computes nothing on the FX thread.
 */
public final class NerfView {

    private static final long MIN_FRAME_NANOS = 1_000_000_000L / 30;

    private final NerfViewModel vm;
    private final BorderPane root = new BorderPane();
    private final int size;
    private final PixelBuffer<IntBuffer> pixels;
    private final ImageView image;
    private final CheckBox heat = new CheckBox("Energy heat map");
    private final Label frameInfo = new Label();
    final LiveXYChart curve;
    final LiveXYChart loss;
    final LiveXYChart ssim;
    final LiveXYChart sweep;
    final CategoryBarChart energy;
    final CategoryBarChart reduction;
    final CategoryBarChart packing;
    final HeatmapChart raster;
    private long shownGeneration = -1;
    private long presented;
    private long lastPresent;
    private double dragX;
    private double dragY;
    private boolean moved;
    private final AnimationTimer timer;

    public NerfView(NerfViewModel vm, ChartKit kit) {
        this.vm = vm;
        this.size = vm.previewSizeProperty().get();
        this.pixels = new PixelBuffer<>(size, size, IntBuffer.allocate(size * size),
                PixelFormat.getIntArgbPreInstance());
        this.image = new ImageView(new WritableImage(pixels));
        curve = kit.line("nerf-training", "Training PSNR", "step", "PSNR (dB)");
        loss = kit.line("nerf-loss", "Training loss (batch MSE)", "step", "loss");
        ssim = kit.line("nerf-ssim", "Held-out SSIM while training", "step", "SSIM");
        sweep = kit.line("nerf-sweep", "Held-out PSNR vs grid resolution (coarse grid)", "grid points per side",
                "PSNR (dB)");
        energy = kit.bar("nerf-energy", "Modelled colour-network energy per layer (held-out views)", "layer",
                "µJ (modelled)");
        reduction = kit.bar("nerf-reduction", "Modelled energy reduction vs ANN", "variant", "%");
        packing = kit.bar("nerf-packing", "Temporal padding vs condensing", "measure", "value");
        raster = kit.heatmap("nerf-raster", "Spike raster (click the image)", "time step", "neuron", "spike");
        build();
        timer = new AnimationTimer() {
            @Override
            public void handle(long now) {
                if (now - lastPresent >= MIN_FRAME_NANOS) {
                    presentLatest(now);
                }
                drainLive();
            }
        };
        timer.start();
        vm.resultProperty().addListener((o, a, r) -> showResult(r));
        vm.rasterProperty().addListener((o, a, t) -> showRaster(t));
        vm.runningProperty().addListener((o, a, run) -> {
            if (run) {
                curve.clear();
                loss.clear();
                ssim.clear();
            }
        });
        vm.energyRows().addListener((javafx.collections.ListChangeListener<NerfViewModel.EnergyRow>) c -> showEnergy());
        vm.ceilingProperty().addListener((o, a, v) -> showEnergy());
        heat.selectedProperty().addListener((o, a, v) -> vm.requestFrame());
        vm.requestFrame();
    }

    public Node node() {
        return root;
    }

    /** Frames painted so far (tests wait on it). */
    public long presentedFrames() {
        return presented;
    }

    /** A copy of the displayed pixels. */
    public int[] displayedPixels() {
        int[] out = new int[size * size];
        pixels.getBuffer().get(0, out);
        return out;
    }

    public void stop() {
        timer.stop();
    }

    /** FX thread: charts the training points the running experiment recorded since the last pulse. */
    void drainLive() {
        boolean[] any = {false};
        vm.drainLive(p -> {
            any[0] = true;
            String s = p.series();
            if (s.endsWith("_train_loss")) {
                loss.append(s.substring(0, s.length() - "_train_loss".length()), p.step(), p.value());
                curve.append(s.substring(0, s.length() - "_train_loss".length()), p.step(),
                        p.value() > 0 ? -10 * Math.log10(p.value()) : 100);
            } else if (s.endsWith("_eval_ssim")) {
                ssim.append(s.substring(0, s.length() - "_eval_ssim".length()), p.step(), p.value());
            }
        });
        if (any[0]) {
            loss.refresh();
            curve.refresh();
            ssim.refresh();
        }
    }

    /** FX thread: paints the newest frame unless it is older than the one shown. */
    void presentLatest(long now) {
        RenderedFrame f = vm.mailbox().takeLatest();
        if (f == null || f.generation() < shownGeneration || f.width() != size) {
            return;
        }
        shownGeneration = f.generation();
        int[] src = heat.isSelected() ? f.heatArgb() : f.argb();
        pixels.updateBuffer(pb -> {
            pb.getBuffer().put(0, src);
            return null;
        });
        presented++;
        lastPresent = now;
        frameInfo.setText(String.format(Locale.ROOT, "%s %d×%d, %.1f ms, %d shaded samples, gen %d",
                f.coarse() ? "coarse" : "full", f.frame().width(), f.frame().height(), f.renderMs(),
                f.frame().ops().shaded(), f.generation()));
    }

    private void build() {
        root.setId("nerfPage");
        Label title = new Label("SpikingNeRF");
        title.getStyleClass().add("title-3");
        Label what = new Label("A voxel-grid NeRF whose colour MLP is a spiking network: the k-th surviving sample"
                + " of a ray is time step k. Energy is modelled (4.6 pJ/MAC, 0.9 pJ/AC), not measured.");
        what.setWrapText(true);
        ComboBox<String> scene = new ComboBox<>();
        scene.setId("nerfScene");
        scene.getItems().addAll("procedural-volume", "procedural-surface", "npz", "blender");
        scene.valueProperty().bindBidirectional(vm.sceneProperty());
        Spinner<Integer> fine = new Spinner<>(0, 100000, vm.fineIterationsProperty().get(), 50);
        fine.setId("nerfFineIterations");
        fine.setEditable(true);
        fine.valueProperty().addListener((o, a, v) -> vm.fineIterationsProperty().set(v));
        vm.fineIterationsProperty().addListener((o, a, v) -> fine.getValueFactory().setValue(v.intValue()));
        TextField mac = number("nerfMacPj", vm.macPjProperty());
        TextField ac = number("nerfAcPj", vm.acPjProperty());
        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(6);
        form.addRow(0, new Label("Scene"), scene);
        form.addRow(1, new Label("Fine steps"), fine);
        form.addRow(2, new Label("pJ per MAC"), mac);
        form.addRow(3, new Label("pJ per AC"), ac);
        Label error = new Label();
        error.setId("nerfError");
        error.setWrapText(true);
        error.textProperty().bind(vm.errorProperty());
        Button run = new Button("Run");
        run.setId("nerfRun");
        run.disableProperty().bind(vm.runningProperty().or(vm.errorProperty().isNotEmpty()));
        run.setOnAction(e -> vm.run());
        Button cancel = new Button("Cancel");
        cancel.setId("nerfCancel");
        cancel.disableProperty().bind(vm.runningProperty().not());
        cancel.setOnAction(e -> vm.cancel());
        Label status = new Label();
        status.setId("nerfStatus");
        status.setWrapText(true);
        status.textProperty().bind(vm.statusProperty());
        Label red = new Label();
        red.setId("nerfReduction");
        red.setWrapText(true);
        red.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> String.format(Locale.ROOT,
                "Modelled reduction %s (zero-spike ceiling %.2f %%)",
                Double.isNaN(vm.reductionProperty().get()) ? "–"
                        : String.format(Locale.ROOT, "%.2f %%", 100 * vm.reductionProperty().get()),
                100 * vm.ceilingProperty().get()), vm.reductionProperty(), vm.ceilingProperty()));
        Button open = new Button("Open saved scene…");
        open.setId("nerfOpenCheckpoint");
        open.setOnAction(e -> {
            javafx.stage.FileChooser chooser = new javafx.stage.FileChooser();
            chooser.setTitle("Open a saved SpikingNeRF scene");
            chooser.getExtensionFilters().add(new javafx.stage.FileChooser.ExtensionFilter("Saved scenes", "*.snerf"));
            java.io.File f = chooser.showOpenDialog(root.getScene() == null ? null : root.getScene().getWindow());
            if (f != null) {
                vm.openCheckpoint(f.toPath());
            }
        });
        Label renderer = new Label("Preview renderer: " + vm.rendererName());
        renderer.setId("nerfRenderer");
        VBox left = new VBox(10, title, what, form, error, new HBox(8, run, cancel), open, status, red, renderer);
        left.setPadding(new Insets(8));
        left.setPrefWidth(280);

        ComboBox<String> model = new ComboBox<>(vm.previewModels());
        model.setId("nerfPreviewModel");
        model.valueProperty().bindBidirectional(vm.previewModelProperty());
        heat.setId("nerfHeat");
        image.setId("nerfImage");
        image.setFitWidth(384);
        image.setFitHeight(384);
        image.setPreserveRatio(true);
        image.setOnMousePressed(e -> {
            dragX = e.getX();
            dragY = e.getY();
            moved = false;
        });
        image.setOnMouseDragged(e -> {
            vm.draggingProperty().set(true);
            moved = true;
            vm.azimuthProperty().set(vm.azimuthProperty().get() - 0.5 * (e.getX() - dragX));
            vm.elevationProperty().set(Math.max(-89, Math.min(89, vm.elevationProperty().get() + 0.5 * (e.getY() - dragY))));
            dragX = e.getX();
            dragY = e.getY();
        });
        image.setOnMouseReleased(e -> {
            vm.draggingProperty().set(false);
            if (!moved) {
                double scale = size / image.getBoundsInLocal().getWidth();
                vm.trace((int) (e.getX() * scale), (int) (e.getY() * scale));
            }
        });
        image.setOnScroll(e -> vm.radiusProperty().set(Math.max(1.5, Math.min(12,
                vm.radiusProperty().get() * (e.getDeltaY() > 0 ? 0.95 : 1.05)))));
        frameInfo.setId("nerfFrameInfo");
        ComboBox<NerfViewModel.CompareMode> compare = new ComboBox<>();
        compare.setId("nerfCompare");
        compare.getItems().addAll(NerfViewModel.CompareMode.values());
        compare.valueProperty().bindBidirectional(vm.compareProperty());
        javafx.scene.control.Slider split = new javafx.scene.control.Slider(0, 1, vm.splitProperty().get());
        split.setId("nerfSplit");
        split.valueProperty().bindBidirectional(vm.splitProperty());
        split.disableProperty().bind(vm.compareProperty().isEqualTo(NerfViewModel.CompareMode.OFF));
        Label splitLabel = new Label("Split");
        splitLabel.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        split.setTooltip(new javafx.scene.control.Tooltip("The preview model left of the split; the chosen"
                + " comparison right of it"));
        HBox.setHgrow(split, javafx.scene.layout.Priority.ALWAYS);
        HBox compareRow = new HBox(8, splitLabel, compare, split);
        Label truthNote = new Label();
        truthNote.setId("nerfTruthNote");
        truthNote.setWrapText(true);
        truthNote.setMaxWidth(384);
        truthNote.textProperty().bind(vm.groundTruthNoteProperty());
        truthNote.visibleProperty().bind(vm.groundTruthNoteProperty().isNotEmpty());
        truthNote.managedProperty().bind(truthNote.visibleProperty());
        javafx.scene.control.Slider budget = new javafx.scene.control.Slider(0, 100, vm.previewShareProperty().get());
        budget.setId("nerfBudget");
        budget.setMajorTickUnit(25);
        budget.setShowTickMarks(true);
        budget.setSnapToTicks(false);
        budget.valueProperty().addListener((o, a, v) -> vm.previewShareProperty().set((int) Math.round(v.doubleValue())));
        vm.previewShareProperty().addListener((o, a, v) -> budget.setValue(v.doubleValue()));
        Label budgetLabel = new Label();
        budgetLabel.setId("nerfBudgetLabel");
        budgetLabel.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> {
            int p = vm.previewShareProperty().get();
            return p == 0 ? "Budget: preview paused while training" : String.format(Locale.ROOT,
                    "Budget: the preview renders at most %d %% of the time while training runs", p);
        }, vm.previewShareProperty()));
        budgetLabel.setWrapText(true);
        budgetLabel.setMaxWidth(384);
        budget.setMaxWidth(384);
        VBox budgetRow = new VBox(2, budgetLabel, budget);
        VBox center = new VBox(6, new HBox(8, new Label("Model"), model, heat), compareRow, truthNote, image, frameInfo,
                budgetRow);
        center.setPadding(new Insets(8));

        HBox top = new HBox(8, sized(curve.node()), sized(loss.node()), sized(ssim.node()));
        HBox middle = new HBox(8, sized(energy.node()), sized(reduction.node()), sized(sweep.node()));
        HBox bottom = new HBox(8, sized(packing.node()), sized(raster.node()));
        SplitPane charts = new SplitPane(top, middle, bottom);
        charts.setOrientation(Orientation.VERTICAL);
        charts.setDividerPositions(0.34, 0.67);
        SplitPane main = new SplitPane(center, charts);
        main.setDividerPositions(0.42);
        ScrollPane leftScroll = new ScrollPane(left);
        leftScroll.setFitToWidth(true);
        root.setLeft(leftScroll);
        root.setCenter(main);
    }

    private static Node sized(Node n) {
        if (n instanceof javafx.scene.layout.Region r) {
            r.setPrefSize(320, 200);
            HBox.setHgrow(r, javafx.scene.layout.Priority.ALWAYS);
        }
        return n;
    }

    private static TextField number(String id, javafx.beans.property.DoubleProperty p) {
        TextField f = new TextField(Double.toString(p.get()));
        f.setId(id);
        f.setPrefColumnCount(6);
        f.textProperty().addListener((o, a, v) -> {
            try {
                double d = Double.parseDouble(v.trim());
                if (d >= 0) {
                    p.set(d);
                }
            } catch (NumberFormatException e) {
                // keep the last valid value until the text parses again
            }
        });
        p.addListener((o, a, v) -> {
            if (!f.isFocused()) {
                f.setText(Double.toString(v.doubleValue()));
            }
        });
        return f;
    }

    private void showResult(NerfResult r) {
        drainLive();
        curve.clear();
        loss.clear();
        if (r == null) {
            sweep.clear();
            ssim.clear();
            return;
        }
        for (NerfResult.Variant v : r.variants()) {
            float[] c = v.trainCurve();
            for (int i = 0; i < c.length; i++) {
                curve.append(v.name(), i, c[i] > 0 ? -10 * Math.log10(c[i]) : 100);
                loss.append(v.name(), i, c[i]);
            }
            if (!ssim.seriesNames().contains(v.name())) {
                // a restored result has no live points: its final held-out SSIM
                ssim.append(v.name(), c.length, v.ssim());
            }
        }
        curve.refresh();
        loss.refresh();
        ssim.refresh();
        sweep.clear();
        for (NerfResult.SweepPoint p : r.sweep()) {
            sweep.append("held-out PSNR", p.resolution(), p.psnrDb());
        }
        sweep.refresh();
        packing.clear();
        for (NerfResult.Variant v : r.variants()) {
            if (v.name().startsWith("snn")) {
                packing.set(v.name(), "T (steps)", v.packingSteps());
                packing.set(v.name(), "occupancy %", 100 * v.occupancy());
                packing.set(v.name(), "energy µJ", v.snnEnergyPj() * 1e-6);
                packing.set(v.name(), "PSNR dB", v.psnrDb());
            }
        }
        showEnergy();
    }

    private void showEnergy() {
        energy.clear();
        for (NerfViewModel.EnergyRow row : vm.energyRows()) {
            energy.set(row.variant(), row.layer(), row.energyUj());
        }
        reduction.clear();
        NerfResult r = vm.resultProperty().get();
        if (r != null) {
            for (NerfResult.Variant v : r.variants()) {
                if (v.name().startsWith("snn")) {
                    reduction.set("modelled", v.name(), 100 * new org.mlsysworkbench.algorithms.nerf.EnergyModel(
                            Math.max(1e-9, vm.macPjProperty().get()), Math.max(0, vm.acPjProperty().get()))
                            .reduction(v.ops()));
                }
            }
        }
        CategoryPlot plot = (CategoryPlot) reduction.chart().getPlot();
        plot.clearRangeMarkers();
        ValueMarker ceiling = new ValueMarker(100 * vm.ceilingProperty().get());
        ceiling.setLabel(String.format(Locale.ROOT, "zero-spike ceiling %.2f %%", 100 * vm.ceilingProperty().get()));
        ceiling.setPaint(java.awt.Color.RED);
        plot.addRangeMarker(ceiling);
    }

    private void showRaster(RayTrace t) {
        if (t == null || t.hidden() == 0 || t.shaded() == 0) {
            raster.setValues(new double[][]{{0}});
            return;
        }
        int h = t.hidden();
        double[][] z = new double[2 * h + 1][t.shaded()];
        for (int k = 0; k < t.shaded(); k++) {
            for (int j = 0; j < h; j++) {
                z[j][k] = t.spikes1()[k * h + j];
                z[h + 1 + j][k] = t.spikes2()[k * h + j];
            }
            z[h][k] = Double.NaN;
        }
        raster.setValues(z);
    }
}
