/*
 * Copyright (c) 2026 OVS Fastpath authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at:
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

/* Huge-page backed memory for the per-thread caches: see
 * engine/fp-bigmem.h. */

#include <config.h>
#include "fp-bigmem.h"

#include <stdint.h>
#include <sys/mman.h>
#include "util.h"

/* Under AddressSanitizer, the leak checker does not scan mapped memory on
 * its own: the caches' references to flows would look like leaks. */
#if defined(__SANITIZE_ADDRESS__)
#define FP_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FP_LSAN 1
#endif
#endif
#ifdef FP_LSAN
#include <sanitizer/lsan_interface.h>
#endif

#define HUGE_PAGE (2 * 1024 * 1024)

static size_t
bigmem_size(size_t size)
{
    return ROUND_UP(size, HUGE_PAGE);
}

/* Returns 'size' bytes of zeros.  Anonymous memory, mapped with a huge
 * page of slack so that the block can start on a huge page boundary; the
 * slack is unmapped. */
void *
fp_bigmem_alloc(size_t size)
{
    size_t len = bigmem_size(size);
    uint8_t *map, *p;

    map = mmap(NULL, len + HUGE_PAGE, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED) {
        out_of_memory();
    }
    p = (uint8_t *) ROUND_UP((uintptr_t) map, HUGE_PAGE);
    if (p > map) {
        munmap(map, p - map);
    }
    if (p + len < map + len + HUGE_PAGE) {
        munmap(p + len, map + len + HUGE_PAGE - (p + len));
    }
#ifdef MADV_HUGEPAGE
    madvise(p, len, MADV_HUGEPAGE);     /* A hint: failure is fine. */
#endif
#ifdef FP_LSAN
    __lsan_register_root_region(p, len);
#endif
    return p;
}

void
fp_bigmem_free(void *p, size_t size)
{
    if (p) {
#ifdef FP_LSAN
        __lsan_unregister_root_region(p, bigmem_size(size));
#endif
        munmap(p, bigmem_size(size));
    }
}
