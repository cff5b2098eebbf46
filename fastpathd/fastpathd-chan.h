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

#ifndef FASTPATHD_CHAN_H
#define FASTPATHD_CHAN_H 1

/* fastpathd's end of the channel (engine/fp-chan.h): a Unix socket that
 * only its owner may use, one attached client at a time. */

struct ds;
struct fastpathd_chan;

int fastpathd_chan_open(const char *path, struct fastpathd_chan **);
void fastpathd_chan_close(struct fastpathd_chan *);
void fastpathd_chan_run(struct fastpathd_chan *);
void fastpathd_chan_wait(struct fastpathd_chan *);
void fastpathd_chan_show(const struct fastpathd_chan *, struct ds *);

#endif /* fastpathd-chan.h */
