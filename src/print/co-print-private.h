/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The print core's building blocks, shared by the sticker sheet, the forms,
 * the handout list and the calibration page. Drawing happens in millimetres:
 * every page starts with _co_pdf_output_begin_page(), which scales the
 * context from points to mm and applies the printer offset once.
 */
#pragma once

#include <cairo.h>
#include <pango/pangocairo.h>

#include "co-print-types.h"
#include "co-template.h"

G_BEGIN_DECLS

#define CO_PT_PER_MM (72.0 / 25.4)

/* Output: a PDF written page by page to a temporary file next to the
 * destination, renamed over it by _co_pdf_output_finish(). */
typedef struct _CoPdfOutput CoPdfOutput;

CoPdfOutput *_co_pdf_output_new         (const char            *path,
                                         double                 width_mm,
                                         double                 height_mm,
                                         GError               **error);
cairo_t     *_co_pdf_output_begin_page  (CoPdfOutput           *out,
                                         const CoPrintOptions  *options);
gboolean     _co_pdf_output_end_page    (CoPdfOutput           *out,
                                         GError               **error);
guint        _co_pdf_output_get_n_pages (CoPdfOutput           *out);
gboolean     _co_pdf_output_finish      (CoPdfOutput           *out,
                                         GError               **error);
void         _co_pdf_output_free        (CoPdfOutput           *out);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoPdfOutput, _co_pdf_output_free)

/* Text: single lines that shrink until they fit their box. */
typedef struct
{
  double          size;       /* points */
  double          min_size;   /* points; below it the end is ellipsized */
  gboolean        bold;
  gboolean        monospace;
  CoTemplateAlign align;
  gboolean        baseline;   /* baseline at 78 % of the box height, else centred */
  guint32         color;
  gboolean        vcenter;    /* wrapped text: centred in the box, else at its top */
} CoTextStyle;

typedef struct _CoTextRenderer CoTextRenderer;

CoTextRenderer *_co_text_renderer_new       (void);
void            _co_text_renderer_free      (CoTextRenderer     *tr);
guint           _co_text_renderer_get_unknown_glyphs (CoTextRenderer *tr);
PangoLayout    *_co_text_renderer_layout    (CoTextRenderer     *tr,
                                             const char         *text,
                                             const CoTextStyle  *style,
                                             const CoRectMm     *box);
void            _co_text_renderer_place     (cairo_t            *cr,
                                             PangoLayout        *layout,
                                             const CoTextStyle  *style,
                                             const CoRectMm     *box);
void            _co_text_renderer_draw      (CoTextRenderer     *tr,
                                             cairo_t            *cr,
                                             const char         *text,
                                             const CoTextStyle  *style,
                                             const CoRectMm     *box);
void            _co_text_renderer_draw_wrapped (CoTextRenderer  *tr,
                                             cairo_t            *cr,
                                             const char         *text,
                                             const CoTextStyle  *style,
                                             const CoRectMm     *box);
double          _co_text_renderer_measure   (CoTextRenderer     *tr,
                                             const char         *text,
                                             double              size,
                                             gboolean            bold);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoTextRenderer, _co_text_renderer_free)

void            _co_set_source_rgb_hex      (cairo_t            *cr,
                                             guint32             color);
void            _co_rounded_rectangle       (cairo_t            *cr,
                                             const CoRectMm     *rect,
                                             double              radius);

/* QR codes: one A8 mask, one pixel per module, quiet zone included. */
gboolean        _co_qr_draw                 (cairo_t            *cr,
                                             const char         *text,
                                             int                 ec_level,
                                             guint               quiet_zone,
                                             const CoRectMm     *box);

/* Photos: JPEG passed through to the PDF, PNG decoded by cairo. */
typedef struct _CoPhoto CoPhoto;

CoPhoto        *_co_photo_load_file         (const char         *path,
                                             GError            **error);
CoPhoto        *_co_photo_load_bytes        (GBytes             *bytes,
                                             GError            **error);
void            _co_photo_draw              (cairo_t            *cr,
                                             CoPhoto            *photo,
                                             const CoRectMm     *box,
                                             double              corner_radius);
void            _co_photo_get_size          (CoPhoto            *photo,
                                             double             *width,
                                             double             *height);
void            _co_photo_free              (CoPhoto            *photo);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoPhoto, _co_photo_free)

gboolean        _co_jpeg_parse_header       (const guint8       *data,
                                             gsize               length,
                                             int                *width,
                                             int                *height,
                                             int                *components,
                                             int                *orientation,
                                             GError            **error);

/* Shared by the batch functions. */
char           *_co_format_caption          (const char         *format,
                                             guint               a,
                                             guint               b);
void            _co_print_add_warning       (GPtrArray          *warnings,
                                             guint               index,
                                             const char         *name,
                                             const char         *edu_id,
                                             const char         *photo_path,
                                             const GError       *error);

G_END_DECLS
