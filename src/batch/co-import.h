/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * CoImport: a 新制卡 or 卡贴 batch list read from a CSV/TSV file (see
 * co-csv.h for encodings and quoting) and checked row by row. Columns are
 * found by Chinese or English header names, or set by the caller (the app's
 * mapping step). Every row gets a verdict and the list of its problems as
 * codes; the app and the CLI turn codes into translated text.
 *
 * Excel's damage to education IDs is recognised: "1.2E+07" (the digits
 * are lost: refused), 7 digits (a lost leading zero: refused, with the
 * zero-padded ID proposed as a fix the caller may accept), stray spaces
 * (trimmed). A quoted field that never closes costs its own row only.
 *
 * Photos: from a folder, matched by the 8-digit education ID in the file
 * name (or named in a 照片 column). Checked without decoding: JPEG (SOF
 * header, via the print core) or PNG (IHDR), at least
 * CO_IMPORT_PHOTO_MIN_WIDTH × CO_IMPORT_PHOTO_MIN_HEIGHT pixels, and within
 * CO_IMPORT_PHOTO_ASPECT_TOLERANCE of the card photo's 26 × 32 mm (13:16).
 * co_import_photo_crop() gives the centred 13:16 crop the app cuts out.
 */
#pragma once

#include <gio/gio.h>

#include "co-types.h"

G_BEGIN_DECLS

/* The card photo: 26 × 32 mm. At least 10 px/mm (254 dpi). */
#define CO_IMPORT_PHOTO_WIDTH_MM          26
#define CO_IMPORT_PHOTO_HEIGHT_MM         32
#define CO_IMPORT_PHOTO_MIN_WIDTH         260
#define CO_IMPORT_PHOTO_MIN_HEIGHT        320
#define CO_IMPORT_PHOTO_ASPECT_TOLERANCE  0.15
#define CO_IMPORT_PHOTO_MAX_BYTES         (10 * 1024 * 1024)

typedef enum
{
  CO_IMPORT_KIND_NEW_CARD, /* 新制卡 */
  CO_IMPORT_KIND_STICKER,  /* 卡贴 */
} CoImportKind;

typedef enum
{
  CO_IMPORT_FIELD_EDU_ID,   /* 教育ID */
  CO_IMPORT_FIELD_NAME,     /* 姓名 */
  CO_IMPORT_FIELD_GENDER,   /* 性别 */
  CO_IMPORT_FIELD_GRADE,    /* 年级 */
  CO_IMPORT_FIELD_CLASS,    /* 班级 */
  CO_IMPORT_FIELD_ENTRY,    /* 来源: 新入学 / 外省转入 / 市内转学 */
  CO_IMPORT_FIELD_PHOTO,    /* 照片 (optional: else matched in the photo folder) */
  CO_IMPORT_FIELD_REISSUED, /* 本学段已补卡 (optional, 卡贴 only): 是 / 否 */
  CO_IMPORT_N_FIELDS
} CoImportField;

typedef enum
{
  CO_IMPORT_VERDICT_OK,
  CO_IMPORT_VERDICT_WARNING, /* goes through; the message says what was noticed */
  CO_IMPORT_VERDICT_REFUSED,
} CoImportVerdict;

typedef enum
{
  CO_IMPORT_PROBLEM_NONE,
  CO_IMPORT_PROBLEM_EDU_ID_FORMAT,             /* not 8 digits */
  CO_IMPORT_PROBLEM_EDU_ID_EXCEL_EXPONENT,     /* 1.2E+07: digits lost */
  CO_IMPORT_PROBLEM_EDU_ID_LEADING_ZERO_LOST,  /* 7 digits; suggestion = padded ID */
  CO_IMPORT_PROBLEM_MISSING_FIELD,             /* field */
  CO_IMPORT_PROBLEM_GENDER_INVALID,
  CO_IMPORT_PROBLEM_GRADE_INVALID,
  CO_IMPORT_PROBLEM_ENTRY_INVALID,
  CO_IMPORT_PROBLEM_REISSUED_INVALID,
  CO_IMPORT_PROBLEM_DUPLICATE_ROW,             /* other_line: the first row */
  CO_IMPORT_PROBLEM_UNKNOWN_STUDENT,           /* not in the school's roster */
  CO_IMPORT_PROBLEM_NAME_MISMATCH,             /* warning: roster name differs */
  CO_IMPORT_PROBLEM_PHOTO_MISSING,
  CO_IMPORT_PROBLEM_PHOTO_BAD,                 /* photo: why */
  CO_IMPORT_PROBLEM_SHORT_ROW,
  CO_IMPORT_PROBLEM_LONG_ROW,                  /* extra non-empty fields */
  CO_IMPORT_PROBLEM_UNTERMINATED_QUOTE,        /* the row is lost */
  CO_IMPORT_PROBLEM_INELIGIBLE,                /* reason: from co-rules */
} CoImportProblem;

typedef enum
{
  CO_IMPORT_PHOTO_OK,
  CO_IMPORT_PHOTO_UNREADABLE,     /* cannot be opened or read */
  CO_IMPORT_PHOTO_NOT_JPEG_OR_PNG,
  CO_IMPORT_PHOTO_CORRUPT,        /* truncated or damaged */
  CO_IMPORT_PHOTO_UNSUPPORTED,    /* a JPEG kind the card cannot take (12-bit, arithmetic, ...) */
  CO_IMPORT_PHOTO_TOO_LARGE,      /* more than CO_IMPORT_PHOTO_MAX_BYTES */
  CO_IMPORT_PHOTO_TOO_SMALL,      /* fewer pixels than the minimum */
  CO_IMPORT_PHOTO_ASPECT,         /* not close to 13:16 (landscape, square...) */
  CO_IMPORT_PHOTO_AMBIGUOUS,      /* several files carry this ID */
} CoImportPhotoProblem;

typedef struct
{
  CoImportProblem      problem;
  CoImportVerdict      verdict;
  CoImportField        field;       /* MISSING_FIELD, *_INVALID */
  CoReason             reason;      /* INELIGIBLE */
  CoImportPhotoProblem photo;       /* PHOTO_BAD */
  guint                other_line;  /* DUPLICATE_ROW */
  char                *suggestion;  /* EDU_ID_LEADING_ZERO_LOST: the padded ID; NAME_MISMATCH: the roster's name */
} CoImportIssue;

typedef struct
{
  guint            line;              /* where the row starts in the file */
  CoImportVerdict  verdict;           /* the worst of its issues */
  GArray          *issues;            /* CoImportIssue, most serious first */

  /* Values as read and cleaned (trimmed); NULL when absent. */
  char            *values[CO_IMPORT_N_FIELDS];

  /* Parsed, valid when the matching issue is absent. */
  CoGender         gender;
  int              grade;
  CoEntry          entry;
  gboolean         reissued_in_stage;
  char            *photo_path;        /* the file found, or NULL */
  int              photo_width;       /* as displayed (EXIF orientation applied) */
  int              photo_height;

  /*< private >*/
  int              csv_row;           /* -1: lost to an unterminated quote */
  char            *edu_id_fix;        /* accepted by co_import_accept_fix() */
} CoImportRow;

/* What the roster knows of a student: FALSE when @edu_id is unknown. */
typedef gboolean (*CoImportRosterFunc) (const char *edu_id,
                                        char      **name,
                                        gboolean   *reissued_in_stage,
                                        gpointer    user_data);

#define CO_TYPE_IMPORT (co_import_get_type ())
G_DECLARE_FINAL_TYPE (CoImport, co_import, CO, IMPORT, GObject)

CoImport           *co_import_new                (CoImportKind        kind);
CoImportKind        co_import_get_kind           (CoImport           *self);

gboolean            co_import_load_file          (CoImport           *self,
                                                  const char         *path,
                                                  GError            **error);
gboolean            co_import_load_bytes         (CoImport           *self,
                                                  GBytes             *bytes,
                                                  GError            **error);

void                co_import_set_photo_dir      (CoImport           *self,
                                                  const char         *dir);
void                co_import_set_photo_min_size (CoImport           *self,
                                                  int                 width,
                                                  int                 height);

/* Columns: found by name on load; the mapping step may change them. */
guint               co_import_get_n_columns      (CoImport           *self);
const char         *co_import_get_header         (CoImport           *self,
                                                  guint               column);
int                 co_import_get_column         (CoImport           *self,
                                                  CoImportField       field);
void                co_import_set_column         (CoImport           *self,
                                                  CoImportField       field,
                                                  int                 column);
gboolean            co_import_field_is_required  (CoImportField       field);
/* Required fields without a column, in field order; 0 when all are there. */
guint               co_import_get_missing_fields (CoImport           *self,
                                                  CoImportField      *out);
const char         *co_import_field_to_string    (CoImportField       field);
const char         *co_import_problem_to_string  (CoImportProblem     problem);
const char         *co_import_photo_problem_to_string (CoImportPhotoProblem problem);
const char         *co_import_get_encoding_name  (CoImport           *self);

/* Checks every row (again): after loading, a column change or a fix. */
void                co_import_validate           (CoImport           *self);
/* Marks students the roster does not know, and (卡贴) applies what it
 * says about reissues. Call after co_import_validate(). */
void                co_import_check_roster       (CoImport           *self,
                                                  CoImportRosterFunc  func,
                                                  gpointer            user_data);
/* Accepts the proposed zero-padded education ID of row @row. */
gboolean            co_import_accept_fix         (CoImport           *self,
                                                  guint               row);

/* Corrects a value of row @row (typed in the app) and validates again. */
gboolean            co_import_set_value          (CoImport           *self,
                                                  guint               row,
                                                  CoImportField       field,
                                                  const char         *value);

guint               co_import_get_n_rows         (CoImport           *self);
const CoImportRow  *co_import_get_row            (CoImport           *self,
                                                  guint               row);
guint               co_import_count              (CoImport           *self,
                                                  CoImportVerdict     verdict);

/* The centred 13:16 rectangle of a @width × @height photo. */
void                co_import_photo_crop         (int                 width,
                                                  int                 height,
                                                  int                *x,
                                                  int                *y,
                                                  int                *crop_width,
                                                  int                *crop_height);

G_END_DECLS
