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

#ifndef FUZZ_CHECK_H
#define FUZZ_CHECK_H 1

/* CHECK(COND): a harness's own check beyond "no crash".  A failed one
 * names itself on stderr and aborts, which libFuzzer reports as a crash
 * with the input that caused it. */

#include <stdio.h>
#include <stdlib.h>

#define CHECK(COND)                                                     \
    do {                                                                \
        if (!(COND)) {                                                  \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,      \
                    __LINE__, #COND);                                   \
            abort();                                                    \
        }                                                               \
    } while (0)

#endif /* fuzz-check.h */
