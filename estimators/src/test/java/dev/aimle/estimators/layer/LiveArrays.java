package dev.aimle.estimators.layer;

import ai.djl.ndarray.NDManager;

/**
 * Counts the NDArrays alive in the whole engine: {@code NDManager.getManagedArrays()} of the root
 * (system) manager lists, recursively, every array attached to it or to any of its sub-managers,
 * which is every array DJL has not closed.
 */
final class LiveArrays {
    private LiveArrays() {}

    static int count(NDManager any) {
        NDManager root = any;
        while (root.getParentManager() != null) {
            root = root.getParentManager();
        }
        return root.getManagedArrays().size();
    }
}
