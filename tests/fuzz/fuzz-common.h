/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * What every fuzz target shares: the libFuzzer entry point, and a one-time
 * setup that makes GLib's criticals and warnings fatal, so a
 * g_return_if_fail() the input reaches counts as a crash.
 */
#pragma once

#include <glib.h>
#include <stdint.h>
#include <stddef.h>

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static inline void
fuzz_setup (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
      g_log_set_writer_func (g_log_writer_default, NULL, NULL);
      g_once_init_leave (&done, 1);
    }
}
