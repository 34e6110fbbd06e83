package org.mlsysworkbench.views.attention;

import java.util.List;
import java.util.Map;
import javafx.application.Platform;
import javafx.scene.Node;
import org.mlsysworkbench.algorithms.attention.AttentionBench;
import org.mlsysworkbench.algorithms.core.Json;
import org.mlsysworkbench.views.core.BenchPage;
import org.mlsysworkbench.views.core.ExportableChart;
import org.mlsysworkbench.views.core.WorkbenchServices;

/** The attention bench's page: {@link AttentionView} over an {@link AttentionViewModel}. FX thread only. */
public final class AttentionPage implements BenchPage {

    private final AttentionViewModel vm;
    private final AttentionView view;

    public AttentionPage(WorkbenchServices services) {
        vm = new AttentionViewModel(services.tasks(), services.backend(),
                services.runsDir(), Platform::runLater);
        view = new AttentionView(vm, services.charts());
    }

    AttentionViewModel viewModel() {
        return vm;
    }

    @Override
    public String benchId() {
        return AttentionBench.ID;
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
        return Json.write(vm.config());
    }

    @Override
    public void loadConfigJson(String json) {
        vm.loadJson(json);
    }

    @Override
    public Map<String, String> viewState() {
        return Map.of("tileHead", Integer.toString(vm.tileHeadProperty().get()));
    }

    @Override
    public void restoreViewState(Map<String, String> state) {
        String h = state.get("tileHead");
        if (h != null && h.matches("\\d{1,3}")) {
            vm.tileHeadProperty().set(Integer.parseInt(h));
        }
    }

    @Override
    public List<ExportableChart> charts() {
        return view.charts();
    }
}
