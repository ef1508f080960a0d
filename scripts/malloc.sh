# Sourced by ./aimle and scripts/bench-vs-reference: glibc's malloc settings for PyTorch on the CPU.
#
# PyTorch's CPU allocator hands every tensor back to malloc when it is closed, and glibc returns the
# large blocks to the kernel (munmap above its mmap threshold, heap trimming below), so the next
# step faults the same pages in again, several microseconds a page on a virtual machine. Keeping
# them (a fixed mmap threshold of 32 MiB, glibc's largest, and a 1 GiB trim threshold) cut a DVAE
# bench's page faults from 364,000 to 92,000 and its CPU time from 11.5 to 7.0 s (README, Speed).
# A GLIBC_TUNABLES of your own is left as it is; GLIBC_TUNABLES= (empty) keeps glibc's defaults.
if [[ -z "${GLIBC_TUNABLES+set}" ]]; then
    export GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824
fi
