/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Reading the print core's PDFs back with poppler: texts and where they
 * sit (in mm from the page's top left), images, fonts, rendered pixels and
 * QR codes (through zbarimg).
 */
#pragma once

#include <poppler.h>

#include "co-print.h"

G_BEGIN_DECLS

#define MM_PER_PT (25.4 / 72.0)

typedef struct
{
  double x1, y1, x2, y2;   /* mm, y down */
} Box;

typedef struct
{
  PopplerDocument *doc;
  char            *path;
} Pdf;

Pdf      *pdf_open               (const char          *path);
void      pdf_free               (Pdf                 *pdf);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pdf, pdf_free)

int       pdf_n_pages            (Pdf                 *pdf);
void      pdf_page_size_mm       (Pdf                 *pdf,
                                  int                  page,
                                  double              *width,
                                  double              *height);

/* Every character of a page with its box (spaces and newlines left out). */
typedef struct
{
  gunichar c;
  Box      box;
} PdfChar;

GArray   *pdf_page_chars         (Pdf                 *pdf,
                                  int                  page);
char     *pdf_page_text_compact  (Pdf                 *pdf,
                                  int                  page);
gboolean  pdf_find_text          (Pdf                 *pdf,
                                  int                  page,
                                  const char          *needle,
                                  Box                 *box);
GArray   *pdf_page_images        (Pdf                 *pdf,
                                  int                  page);
gboolean  pdf_fonts_all_embedded (Pdf                 *pdf,
                                  guint               *n_fonts);
cairo_surface_t *pdf_render      (Pdf                 *pdf,
                                  int                  page,
                                  double               dpi);
void      pixel_at_mm            (cairo_surface_t     *image,
                                  double               dpi,
                                  double               x_mm,
                                  double               y_mm,
                                  guint8              *r,
                                  guint8              *g,
                                  guint8              *b);
char    **decode_qr_codes        (Pdf                 *pdf,
                                  int                  page,
                                  gboolean            *skipped);

gboolean  box_inside             (const Box           *inner,
                                  const CoRectMm      *outer,
                                  double               tolerance);
char     *compact                (const char          *text);

char     *test_data_path         (const char          *name);
char     *test_tmp_dir           (void);
void      test_rm_rf             (const char          *dir);
void      fill_captions          (CoPrintCaptions     *captions);

G_END_DECLS
