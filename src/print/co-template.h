/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * A sheet template: the page, the grid of labels on it, and where each
 * element of a sticker sits inside a label, all in millimetres. Templates are
 * data files (data/templates/NAME.ini, format described in
 * data/templates/README), found through co_data_find_file(), so an office can
 * add its own sheet without rebuilding.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct
{
  double x;
  double y;
  double width;
  double height;
} CoRectMm;

typedef enum
{
  CO_TEMPLATE_ALIGN_LEFT,
  CO_TEMPLATE_ALIGN_CENTER,
  CO_TEMPLATE_ALIGN_RIGHT,
} CoTemplateAlign;

/* The text elements of a sticker; each is a group of the template file of
 * the name in comments. */
typedef enum
{
  CO_STICKER_FIELD_SCHOOL,    /* [school] */
  CO_STICKER_FIELD_NAME,      /* [name] */
  CO_STICKER_FIELD_GENDER,    /* [gender] */
  CO_STICKER_FIELD_STAGE,     /* [stage] */
  CO_STICKER_FIELD_VALIDITY,  /* [validity] */
  CO_STICKER_FIELD_EDU_ID,    /* [edu-id] */
  CO_STICKER_FIELD_CARD_NO,   /* [card-no] */
  CO_STICKER_FIELD_BJT_NO,    /* [bjt-no] */
  CO_STICKER_FIELD_CLASS,     /* [class] */
  CO_N_STICKER_FIELDS
} CoStickerField;

typedef struct
{
  gboolean        present;
  CoRectMm        box;            /* the value: shrinks until it fits here */
  double          font_size;      /* points: the largest size */
  double          min_font_size;  /* points: below it, the end is ellipsized */
  gboolean        bold;
  gboolean        monospace;
  CoTemplateAlign align;
  gboolean        baseline;       /* baseline at 78 % of the box, else centred */
  guint           digit_groups;   /* space digits in groups of N (0: as given) */
  guint32         color;          /* 0xRRGGBB */
  gboolean        has_caption;
  CoRectMm        caption_box;
  double          caption_size;
  CoTemplateAlign caption_align;
  guint32         caption_color;
} CoTemplateText;

typedef struct
{
  double  x1, y1, x2, y2;  /* mm, in the label */
  double  width;           /* mm */
  guint32 color;
} CoTemplateLine;

#define CO_TYPE_TEMPLATE (co_template_get_type ())
G_DECLARE_FINAL_TYPE (CoTemplate, co_template, CO, TEMPLATE, GObject)

CoTemplate           *co_template_new_from_data   (const char     *data,
                                                   gsize           length,
                                                   const char     *source_name,
                                                   GError        **error);
CoTemplate           *co_template_new_from_file   (const char     *path,
                                                   GError        **error);
CoTemplate           *co_template_new_for_name    (const char     *name,
                                                   GError        **error);
char                **co_template_list_names      (void);

const char           *co_template_get_name        (CoTemplate     *self);
const char           *co_template_get_description (CoTemplate     *self);
void                  co_template_get_page_size   (CoTemplate     *self,
                                                   double         *width_mm,
                                                   double         *height_mm);
void                  co_template_get_label_size  (CoTemplate     *self,
                                                   double         *width_mm,
                                                   double         *height_mm);
double                co_template_get_corner_radius (CoTemplate   *self);
guint                 co_template_get_columns     (CoTemplate     *self);
guint                 co_template_get_rows        (CoTemplate     *self);
guint                 co_template_get_n_cells     (CoTemplate     *self);
void                  co_template_get_cell_rect   (CoTemplate     *self,
                                                   guint           index,
                                                   CoRectMm       *rect);
gboolean              co_template_get_photo_box   (CoTemplate     *self,
                                                   CoRectMm       *box,
                                                   double         *corner_radius,
                                                   double         *frame_width);
gboolean              co_template_get_qr_box      (CoTemplate     *self,
                                                   CoRectMm       *box,
                                                   guint          *quiet_zone,
                                                   int            *ec_level);
const CoTemplateText *co_template_get_text        (CoTemplate     *self,
                                                   CoStickerField  field);
const CoTemplateLine *co_template_get_lines       (CoTemplate     *self,
                                                   guint          *n_lines);

G_END_DECLS
