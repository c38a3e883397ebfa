/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The data the print core renders, and the options and captions the caller
 * passes in. The core has no user-facing strings: every word printed on a
 * sticker, form or list comes from CoPrintCaptions, filled by the app or the
 * CLI with translated text.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  CO_PRINT_ERROR_TEMPLATE_NOT_FOUND,
  CO_PRINT_ERROR_TEMPLATE_INVALID,
  CO_PRINT_ERROR_PHOTO_MISSING,
  CO_PRINT_ERROR_PHOTO_UNREADABLE,
  CO_PRINT_ERROR_PHOTO_CORRUPT,
  CO_PRINT_ERROR_PHOTO_UNSUPPORTED,
  CO_PRINT_ERROR_OUTPUT,
  CO_PRINT_ERROR_INVALID_OPTION,
} CoPrintError;

#define CO_PRINT_ERROR (co_print_error_quark ())
GQuark co_print_error_quark (void);

/* One sticker (卡贴), or one line of a handout list. All strings are UTF-8
 * and may be NULL (printed as empty). */
typedef struct
{
  char *edu_id;        /* 教育ID */
  char *name;          /* 姓名 */
  char *gender;        /* 性别, as it should be printed */
  char *school;        /* 学校 */
  char *stage;         /* 学段, as it should be printed */
  char *validity;      /* 有效期, as it should be printed */
  char *card_no;       /* 一卡通号: printed large and encoded in the QR code */
  char *bjt_no;        /* 北京通号 */
  char *class_name;    /* 班级 (handout lists group by it) */
  char *photo_path;    /* JPEG or PNG file; NULL for none */
  GBytes *photo;       /* or the photo's bytes (from the store): wins over photo_path */
} CoStickerData;

#define CO_TYPE_STICKER_DATA (co_sticker_data_get_type ())
GType          co_sticker_data_get_type (void) G_GNUC_CONST;
CoStickerData *co_sticker_data_new      (void);
CoStickerData *co_sticker_data_copy     (const CoStickerData *data);
void           co_sticker_data_free     (CoStickerData       *data);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoStickerData, co_sticker_data_free)

/* One reissue application form (补卡申请表). Blank fields print as lines to
 * fill in by hand, so the same form serves as a blank template. */
typedef struct
{
  char *school;
  char *name;
  char *gender;
  char *class_name;
  char *stage;
  char *edu_id;
  char *card_no;
  char *bjt_no;
  char *reason;         /* 补卡原因 */
  char *delivery;       /* 配送方式, as it should be printed */
  char *address;        /* 收件地址 */
  char *recipient;      /* 收件人 */
  char *phone;          /* 联系电话 */
  char *fee;            /* 补卡工本费, formatted by the caller ("15.00 元") */
  char *application_no; /* 申请编号: printed and encoded in a QR code */
  char *date;           /* 申请日期, formatted by the caller */
} CoFormData;

#define CO_TYPE_FORM_DATA (co_form_data_get_type ())
GType       co_form_data_get_type (void) G_GNUC_CONST;
CoFormData *co_form_data_new      (void);
CoFormData *co_form_data_copy     (const CoFormData *data);
void        co_form_data_free     (CoFormData       *data);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoFormData, co_form_data_free)

/* Every caption the core prints, translated by the caller. A NULL caption
 * is left out. The struct is borrowed for the duration of a call. */
typedef struct
{
  /* Stickers */
  const char *name;
  const char *gender;
  const char *school;
  const char *stage;
  const char *validity;
  const char *edu_id;
  const char *card_no;
  const char *bjt_no;
  const char *no_photo;          /* in the placeholder of a missing photo */

  /* Reissue form */
  const char *form_title;
  const char *form_student_section;
  const char *form_reissue_section;
  const char *form_signature_section;
  const char *class_name;
  const char *reason;
  const char *delivery;
  const char *address;
  const char *recipient;
  const char *phone;
  const char *fee;
  const char *application_no;
  const char *date;
  const char *parent_signature;
  const char *office_signature;
  const char *office_stamp;
  const char *form_note;         /* small print at the foot of the form */

  /* Handout list */
  const char *handout_title;     /* printed with the class name after it */
  const char *handout_number;    /* the row number column */
  const char *handout_signature;
  const char *handout_total;     /* printf format with one %u: "共 %u 人" */
  const char *page_number;       /* printf format with two %u: "第 %u 页，共 %u 页" */

  /* Calibration page */
  const char *calibration_title;
  const char *calibration_help;  /* may hold several lines */
  const char *calibration_offset; /* printf format with two %s (x and y, in mm) */
} CoPrintCaptions;

/* How to print: the same for every kind of document. */
typedef struct
{
  double   offset_x_mm;  /* printer calibration, added to everything */
  double   offset_y_mm;
  guint    start_at;     /* stickers: first label to use, from 1; 0 means 1 */
  gboolean outlines;     /* stickers: draw each label's outline */
} CoPrintOptions;

/* A record that printed with a problem (so far: its photo), reported at
 * the end of a batch. */
typedef struct
{
  guint        index;       /* position in the input array */
  char        *name;
  char        *edu_id;
  char        *photo_path;
  CoPrintError code;
  char        *message;     /* for logs; the caller words it for people */
} CoPrintWarning;

#define CO_TYPE_PRINT_WARNING (co_print_warning_get_type ())
GType co_print_warning_get_type (void) G_GNUC_CONST;
void  co_print_warning_free     (CoPrintWarning *warning);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoPrintWarning, co_print_warning_free)

/* Figures of a finished job. */
typedef struct
{
  guint n_pages;
  guint n_items;            /* stickers, forms or list rows printed */
  guint n_photos;           /* photos placed (not placeholders) */
  guint n_unknown_glyphs;   /* characters no font could draw: should be 0 */
} CoPrintStats;

/* Called after each page: return nothing, cancel through the cancellable. */
typedef void (*CoPrintProgressFunc) (guint    done,
                                     guint    total,
                                     gpointer user_data);

G_END_DECLS
