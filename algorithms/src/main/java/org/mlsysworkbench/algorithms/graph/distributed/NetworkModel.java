package org.mlsysworkbench.algorithms.graph.distributed;

/**
 * The simulated link: a message of B bytes takes {@code latency + B / bandwidth}. Messages from different
 * peers to one receiver are serialised on its link (one NIC per worker). Modelled, never measured.
 *
 * @param bandwidthGbps link bandwidth in gigabits per second (10 = a 10 GbE inter-node link)
 * @param latencyUs     per-message latency in microseconds
 */
public record NetworkModel(double bandwidthGbps, double latencyUs) {

    public NetworkModel {
        if (!(bandwidthGbps > 0) || !(latencyUs >= 0)) {
            throw new IllegalArgumentException("network: expected bandwidth > 0 and latency >= 0, got "
                    + bandwidthGbps + " Gb/s, " + latencyUs + " us");
        }
    }

    /** Modelled milliseconds for one message of {@code bytes}. */
    public double transferMs(long bytes) {
        return latencyUs / 1000.0 + bytes * 8.0 / (bandwidthGbps * 1e9) * 1000.0;
    }

    /** The formula as shown in the inspector. */
    public String formula() {
        return "t = latency + bytes * 8 / bandwidth = " + latencyUs + " us + bytes * 8 / (" + bandwidthGbps
                + " Gb/s)";
    }
}
