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

#ifndef FP_UNIXCTL_H
#define FP_UNIXCTL_H 1

#include "unixctl.h"

struct ds;

/* Registers the "fastpath/..." ovs-appctl commands (once), run here. */
void fp_unixctl_register(void);
void fp_unixctl_register_forwarded(unixctl_cb_func *forward,
                                   const char *skip);

int fp_unixctl_run(int argc, const char *argv[], struct ds *out);

#endif /* fp-unixctl.h */
