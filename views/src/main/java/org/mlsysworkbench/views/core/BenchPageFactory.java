package org.mlsysworkbench.views.core;

/** Creates a bench's page; {@code app} pairs one factory with each {@code BenchDefinition}. */
@FunctionalInterface
public interface BenchPageFactory {

    BenchPage create(WorkbenchServices services);
}
