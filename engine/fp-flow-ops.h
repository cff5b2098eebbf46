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

#ifndef FP_FLOW_OPS_H
#define FP_FLOW_OPS_H 1

/* Installing a flow in the megaflow table (engine/fp-flow-ops.c), the one
 * way flows get in, whether by a flow put or an upcall's answer; and the
 * ufids of the flows that the last flush removed. */

#include <stdbool.h>
#include <stddef.h>
#include "fp-dp-private.h"

int fp_dp_flow_install(struct fp_dp *, const struct flow *,
                       const struct flow_wildcards *, const ovs_u128 *ufid,
                       const struct nlattr *key, size_t key_len,
                       const struct nlattr *mask, size_t mask_len,
                       const struct nlattr *actions, size_t actions_len);
bool fp_dp_flow_take_flushed(struct fp_dp *, const ovs_u128 *ufid);
void fp_dp_flow_expire_flushed(struct fp_dp *, long long int now);

#endif /* fp-flow-ops.h */
