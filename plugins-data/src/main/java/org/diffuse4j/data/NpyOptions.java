package org.diffuse4j.data;

import org.diffuse4j.api.plugin.Option;

/** Options of the {@code npy} data plugin. */
public record NpyOptions(
    @Option(doc = "a .npy array of N rows × D values") String path,
    @Option(doc = "a .npy array of N integer class labels 0 … K−1 ('none' = unlabelled)", def = "none") String labels,
    @Option(doc = "a .npy array of N × D noise rows paired with the data rows, for objective: reflow ('none' = unpaired)", def = "none") String noise) {}
