/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Fuzz target: a sheet template's key file (data/templates/NAME.ini)
 * through co_template_new_from_data(), then every getter the renderers use.
 */
#define G_LOG_DOMAIN "fuzz-template"

#include "config.h"

#include "co-template.h"

#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(CoTemplate) template = NULL;
  double w, h, radius, frame;
  guint n_cells, n_lines, quiet;
  CoRectMm rect;
  int ec;

  fuzz_setup ();
  if (!(template = co_template_new_from_data ((const char *) data, size, "fuzz", NULL)))
    return 0;

  (void) co_template_get_name (template);
  (void) co_template_get_description (template);
  co_template_get_page_size (template, &w, &h);
  co_template_get_label_size (template, &w, &h);
  (void) co_template_get_corner_radius (template);
  (void) co_template_get_columns (template);
  (void) co_template_get_rows (template);
  n_cells = co_template_get_n_cells (template);
  /* Every cell, but not millions of them: the grid is checked on load. */
  for (guint i = 0; i < MIN (n_cells, 10000u); i++)
    co_template_get_cell_rect (template, i, &rect);
  (void) co_template_get_photo_box (template, &rect, &radius, &frame);
  (void) co_template_get_qr_box (template, &rect, &quiet, &ec);
  for (guint f = 0; f < CO_N_STICKER_FIELDS; f++)
    g_assert (co_template_get_text (template, f) != NULL);
  (void) co_template_get_lines (template, &n_lines);
  return 0;
}
