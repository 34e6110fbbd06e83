package org.mlsysworkbench.views.nerf;

import java.util.List;
import java.util.Map;
import javafx.scene.Node;
import org.mlsysworkbench.algorithms.core.BenchDefinition;
import org.mlsysworkbench.algorithms.nerf.NerfBench;
import org.mlsysworkbench.algorithms.nerf.NerfConfig;
import org.mlsysworkbench.algorithms.nerf.NerfResult;
import org.mlsysworkbench.views.core.BenchPage;
import org.mlsysworkbench.views.core.ExportableChart;
import org.mlsysworkbench.views.core.WorkbenchServices;

/** The SpikingNeRF bench page: {@link NerfViewModel} plus {@link NerfView}. FX thread only. */
public final class NerfPage implements BenchPage {

    private final NerfViewModel vm;
    private final NerfView view;

    public NerfPage(WorkbenchServices services) {
        this(services, NerfBench.definition());
    }

    public NerfPage(WorkbenchServices services, BenchDefinition<NerfConfig, NerfResult> bench) {
        this.vm = new NerfViewModel(bench, services.tasks(), services.backend(), services.runsDir());
        this.view = new NerfView(vm, services.charts());
    }

    public NerfViewModel viewModel() {
        return vm;
    }

    public NerfView view() {
        return view;
    }

    @Override
    public String benchId() {
        return NerfBench.ID;
    }

    @Override
    public Node node() {
        return view.node();
    }

    @Override
    public void run() {
        vm.run();
    }

    @Override
    public void cancel() {
        vm.cancel();
    }

    @Override
    public String configJson() {
        return vm.configJson();
    }

    @Override
    public void loadConfigJson(String json) {
        vm.loadJson(json);
    }

    @Override
    public Map<String, String> viewState() {
        Map<String, String> state = new java.util.LinkedHashMap<>(Map.of("azimuth",
                Double.toString(vm.azimuthProperty().get()), "elevation", Double.toString(vm.elevationProperty().get()),
                "radius", Double.toString(vm.radiusProperty().get())));
        if (vm.openedCheckpoint() != null) {
            // the saved scene reopens with the workspace, without retraining
            state.put("checkpoint", vm.openedCheckpoint().toString());
        }
        return state;
    }

    @Override
    public void restoreViewState(Map<String, String> state) {
        try {
            if (state.containsKey("azimuth")) {
                vm.azimuthProperty().set(Double.parseDouble(state.get("azimuth")));
            }
            if (state.containsKey("elevation")) {
                vm.elevationProperty().set(Double.parseDouble(state.get("elevation")));
            }
            if (state.containsKey("radius")) {
                vm.radiusProperty().set(Double.parseDouble(state.get("radius")));
            }
            if (state.containsKey("checkpoint")) {
                vm.openCheckpoint(java.nio.file.Path.of(state.get("checkpoint")));
            }
        } catch (NumberFormatException e) {
            // a hand-edited workspace: keep the current camera
        }
    }

    @Override
    public List<ExportableChart> charts() {
        return List.of(view.curve, view.loss, view.ssim, view.sweep, view.energy, view.reduction, view.packing, view.raster);
    }
}
