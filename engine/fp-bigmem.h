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

#ifndef FP_BIGMEM_H
#define FP_BIGMEM_H 1

/* Memory for the big tables that polling threads look up at random (the
 * caches): zeroed, aligned to 2 MB and backed by transparent huge pages
 * where the kernel allows, so that a lookup does not also miss the TLB,
 * and made resident only as it is touched. */

#include <stddef.h>

void *fp_bigmem_alloc(size_t);
void fp_bigmem_free(void *, size_t);

#endif /* fp-bigmem.h */
