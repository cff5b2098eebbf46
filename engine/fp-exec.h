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

#ifndef FP_EXEC_H
#define FP_EXEC_H 1

/* Running a flow's actions on a batch (engine/fp-exec.c): OVS's action
 * interpreter, and the datapath's own actions. */

#include <stdbool.h>
#include <stddef.h>
#include "fp-dp-private.h"

void fp_execute_actions(struct fp_dp *, struct fp_thread *,
                        struct dp_packet_batch *, bool steal,
                        const struct fp_key_hint *,
                        const struct nlattr *actions, size_t actions_len);
void fp_key_hint_from_flow(struct fp_key_hint *, const struct flow *);

#endif /* fp-exec.h */
