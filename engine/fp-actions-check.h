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

#ifndef FP_ACTIONS_CHECK_H
#define FP_ACTIONS_CHECK_H 1

#include <stdbool.h>
#include <stddef.h>

struct nlattr;

/* Checks ODP actions before a flow put takes them, for packets that are
 * Ethernet frames if 'is_eth' (engine/fp-actions-check.c): 0, or EINVAL with a
 * reason in '*why' that the caller frees. */
int fp_actions_check(const struct nlattr *actions, size_t size, bool is_eth,
                     char **why);

#endif /* fp-actions-check.h */
