package org.diffuse4j.data;

import org.diffuse4j.api.plugin.Option;

/** Options of the {@code png-folder} data plugin. */
public record PngFolderOptions(
    @Option(doc = "folder of .png images of one size, or of class subfolders holding them") String path) {}
