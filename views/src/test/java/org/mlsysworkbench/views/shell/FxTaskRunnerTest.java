package org.mlsysworkbench.views.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlsysworkbench.algorithms.core.CancelledException;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/** The GUI task runner: results on the FX thread, progress in the task, Cancel through the token. */
class FxTaskRunnerTest {

    private final FxTaskRunner runner = new FxTaskRunner();

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @AfterEach
    void close() {
        runner.close();
    }

    @Test
    void successArrivesOnTheFxThreadAndTheTaskLeavesThePanel() throws Exception {
        AtomicReference<String> result = new AtomicReference<>();
        AtomicReference<Boolean> onFx = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        FxToolkit.setupFixture(() -> runner.submit("sum", (progress, cancel) -> {
            progress.progress(0.5, "half");
            return "42";
        }, value -> {
            result.set(value);
            onFx.set(javafx.application.Platform.isFxApplicationThread());
            done.countDown();
        }, error -> done.countDown()));
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(result.get()).isEqualTo("42");
        assertThat(onFx.get()).isTrue();
        assertThat(runner.tasks()).isEmpty();
        assertThat(runner.runningProperty().get()).isZero();
    }

    @Test
    void cancelStopsTheWorkAtItsNextCheckpointWithinASecond() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch workEnded = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<org.mlsysworkbench.views.core.TaskRunner.Handle> handle = new AtomicReference<>();
        FxToolkit.setupFixture(() -> handle.set(runner.submit("forever", (progress, cancel) -> {
            started.countDown();
            try {
                for (long i = 0; ; i++) {
                    cancel.throwIfCancelled();          // a checkpoint every 10 ms of "work"
                    progress.progress(-1, "step " + i);
                    Thread.sleep(10);
                }
            } finally {
                workEnded.countDown();
            }
        }, value -> { }, failure::set)));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(runner.tasks()).hasSize(1);
        FxToolkit.setupFixture(() -> handle.get().cancel());
        // F1: Cancel takes effect within a second (here: the next 10 ms checkpoint)
        assertThat(workEnded.await(1, TimeUnit.SECONDS)).isTrue();
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(failure.get()).isInstanceOf(CancelledException.class);
        assertThat(runner.runningProperty().get()).isZero();
    }

    @Test
    void aFailureReachesOnFailureWithTheCause() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        FxToolkit.setupFixture(() -> runner.submit("broken", (progress, cancel) -> {
            throw new IllegalStateException("disk full");
        }, value -> done.countDown(), e -> {
            failure.set(e);
            done.countDown();
        }));
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(failure.get()).isInstanceOf(IllegalStateException.class).hasMessage("disk full");
    }
}
