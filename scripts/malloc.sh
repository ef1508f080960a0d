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
# PyTorch's own huge-page allocation (libtorch 2.1 and later: c10's alloc_cpu aligns every tensor of
# 2 MiB or more to 2 MiB and asks for transparent huge pages with madvise), where the kernel offers
# them: a page fault per 2 MiB instead of per 4 KiB for the tensors glibc must map afresh (above the
# 32 MiB threshold, which glibc cannot raise: CombResNet18's first activations at batch 70 are 41 MB,
# and its convolutions' work buffers larger). It cut the page faults of a Warcraft forward pass at
# batch 70 from about 84,000 to 11,000 and halved its CPU time (README, Warcraft, Speed).
# THP_MEM_ALLOC_ENABLE of your own is left as it is (0 turns it off).
if [[ -z "${THP_MEM_ALLOC_ENABLE+set}" ]] && grep -qE '\[(always|madvise)\]' /sys/kernel/mm/transparent_hugepage/enabled 2> /dev/null; then
    export THP_MEM_ALLOC_ENABLE=1
fi
