/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * CoImport: 新制卡 and 卡贴 lists as Excel on a Chinese Windows writes them
 * (GBK, UTF-8 with BOM, TSV), every Excel quirk of education IDs, malformed
 * rows, photos, eligibility, the roster and the column mapping. Every file
 * is made here, in a temporary folder.
 */
#define G_LOG_DOMAIN "test-import"

#include "config.h"

#include <cairo.h>
#include <glib/gstdio.h>
#include <string.h>

#include "co-csv.h"
#include "co-import.h"

typedef struct
{
  char *dir;     /* the list */
  char *photos;  /* the photo folder */
} Fixture;

static char *
data_file (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "batch", "data", name, NULL);
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;

  g_file_get_contents (from, &data, &length, &error);
  g_assert_no_error (error);
  g_file_set_contents (to, data, length, &error);
  g_assert_no_error (error);
}

static void
add_photo (Fixture    *fx,
           const char *source,
           const char *name)
{
  g_autofree char *from = data_file (source);
  g_autofree char *to = g_build_filename (fx->photos, name, NULL);

  copy_file (from, to);
}

static void
write_png (const char *path,
           int         width,
           int         height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);

  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
}

static void
set_up (Fixture       *fx,
        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fx->dir = g_dir_make_tmp ("test-import-XXXXXX", &error);
  g_assert_no_error (error);
  fx->photos = g_build_filename (fx->dir, "photos", NULL);
  g_assert_cmpint (g_mkdir (fx->photos, 0700), ==, 0);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
tear_down (Fixture       *fx,
           gconstpointer  data)
{
  remove_tree (fx->dir);
  g_free (fx->photos);
  g_free (fx->dir);
}

/* Loads @text, re-encoded as @charset (NULL: as is) with @prefix before it. */
static CoImport *
load (Fixture      *fx,
      CoImportKind  kind,
      const char   *charset,
      const char   *prefix,
      const char   *text,
      gboolean      with_photos)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoImport) import = co_import_new (kind);
  g_autofree char *converted = NULL;
  g_autofree char *path = g_build_filename (fx->dir, "list.csv", NULL);
  g_autoptr(GString) bytes = g_string_new (prefix);
  gsize written = 0;

  if (charset != NULL)
    {
      converted = g_convert (text, -1, charset, "UTF-8", NULL, &written, &error);
      g_assert_no_error (error);
      g_string_append_len (bytes, converted, written);
    }
  else
    g_string_append (bytes, text);
  g_file_set_contents (path, bytes->str, bytes->len, &error);
  g_assert_no_error (error);

  if (with_photos)
    co_import_set_photo_dir (import, fx->photos);
  g_assert_true (co_import_load_file (import, path, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&import);
}

static const CoImportRow *
row_at_line (CoImport *import,
             guint     line)
{
  for (guint i = 0; i < co_import_get_n_rows (import); i++)
    if (co_import_get_row (import, i)->line == line)
      return co_import_get_row (import, i);
  g_error ("no row on line %u", line);
  return NULL;
}

static const CoImportIssue *
first_issue (const CoImportRow *row)
{
  g_assert_cmpuint (row->issues->len, >, 0);
  return &g_array_index (row->issues, CoImportIssue, 0);
}

static void
assert_ok (CoImport *import,
           guint     line)
{
  const CoImportRow *row = row_at_line (import, line);

  if (row->verdict != CO_IMPORT_VERDICT_OK)
    g_error ("line %u: %s", line, co_import_problem_to_string (first_issue (row)->problem));
}

static void
assert_problem (CoImport        *import,
                guint            line,
                CoImportVerdict  verdict,
                CoImportProblem  problem)
{
  const CoImportRow *row = row_at_line (import, line);

  g_assert_cmpint (row->verdict, ==, verdict);
  g_assert_cmpstr (co_import_problem_to_string (first_issue (row)->problem), ==,
                   co_import_problem_to_string (problem));
}

static const char * const good_list =
  "教育ID,姓名,性别,年级,班级,来源\n"
  "11010001,王小明,男,1,一年级1班,新入学\n"
  "11010002,李华,女,一年级,一年级2班,新入学\n"
  "11010003,\"欧阳, 娜娜\",女,5,五年级3班,外省转入\n";

static void
check_good (CoImport *import)
{
  g_assert_cmpuint (co_import_get_n_rows (import), ==, 3);
  g_assert_cmpuint (co_import_count (import, CO_IMPORT_VERDICT_OK), ==, 3);
  assert_ok (import, 2);
  assert_ok (import, 3);
  assert_ok (import, 4);
  g_assert_cmpstr (co_import_get_row (import, 2)->values[CO_IMPORT_FIELD_NAME], ==, "欧阳, 娜娜");
  g_assert_cmpint (co_import_get_row (import, 1)->grade, ==, 1);
  g_assert_cmpint (co_import_get_row (import, 2)->entry, ==, CO_ENTRY_TRANSFER_OUTSIDE);
  g_assert_nonnull (co_import_get_row (import, 0)->photo_path);
  g_assert_cmpint (co_import_get_row (import, 0)->photo_width, ==, 260);
  g_assert_cmpint (co_import_get_row (import, 0)->photo_height, ==, 320);
}

static void
add_good_photos (Fixture *fx)
{
  add_photo (fx, "photo-260x320.jpg", "11010001.jpg");
  add_photo (fx, "photo-260x320.jpg", "李华-11010002.JPG");
  add_photo (fx, "photo-260x320.jpg", "11010003_欧阳娜娜.jpeg");
}

static void
test_gbk (Fixture       *fx,
          gconstpointer  data)
{
  g_autoptr(CoImport) import = NULL;

  add_good_photos (fx);
  import = load (fx, CO_IMPORT_KIND_NEW_CARD, "GBK", "", good_list, TRUE);
  g_assert_cmpstr (co_import_get_encoding_name (import), ==, "gb18030");
  check_good (import);
}

static void
test_utf8_bom (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(CoImport) import = NULL;

  add_good_photos (fx);
  import = load (fx, CO_IMPORT_KIND_NEW_CARD, NULL, "\357\273\277", good_list, TRUE);
  g_assert_cmpstr (co_import_get_encoding_name (import), ==, "utf-8-bom");
  g_assert_cmpstr (co_import_get_header (import, 0), ==, "教育ID");
  check_good (import);
}

static void
test_utf8 (Fixture       *fx,
           gconstpointer  data)
{
  g_autoptr(CoImport) import = NULL;

  add_good_photos (fx);
  import = load (fx, CO_IMPORT_KIND_NEW_CARD, NULL, "", good_list, TRUE);
  g_assert_cmpstr (co_import_get_encoding_name (import), ==, "utf-8");
  check_good (import);
}

/* TSV with English headers in odd case and spacing, CRLF, GB18030. */
static void
test_tsv_english (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(CoImport) import = NULL;

  add_good_photos (fx);
  import = load (fx, CO_IMPORT_KIND_NEW_CARD, "GB18030", "",
                 "Edu ID\tName\t GENDER \tgrade\tClass_Name\tSource\r\n"
                 "11010001\t王小明\tmale\t1\t1班\tnew_entrant\r\n"
                 "11010002\t李华\tF\tGrade 1\t2班\ttransfer_outside\r\n"
                 "11010003\t\"欧阳, 娜娜\"\t女\t5年级\t3班\t京外转入\r\n", TRUE);
  g_assert_cmpint (co_import_get_column (import, CO_IMPORT_FIELD_GENDER), ==, 2);
  g_assert_cmpint (co_import_get_column (import, CO_IMPORT_FIELD_CLASS), ==, 4);
  check_good (import);
}

static void
test_excel_quirks (Fixture       *fx,
                   gconstpointer  data)
{
  g_autoptr(CoImport) import = NULL;
  const CoImportRow *row;

  add_photo (fx, "photo-260x320.jpg", "01101003.jpg");
  add_photo (fx, "photo-260x320.jpg", "11010005.jpg");
  add_photo (fx, "photo-260x320.jpg", "11010006.jpg");
  import = load (fx, CO_IMPORT_KIND_NEW_CARD, "GBK", "",
                 "教育ID,姓名,性别,年级,班级,来源,,\n"
                 "1.2E+07,王小明,男,1,1班,新入学,,\n"          /* 2: digits lost */
                 "1.10100E+07,李华,女,1,1班,新入学,,\n"        /* 3 */
                 "1101003,张三,男,1,1班,新入学,,\n"            /* 4: leading zero lost */
                 "  11010005\t,　李四　, 男 ,1 ,1班, 新入学 ,,\n" /* 5: stray spaces */
                 "11010006,赵五,女,1,1班,新入学\n"             /* 6: no trailing cells */
                 "11010007.0,钱六,女,1,1班,新入学,,\n"         /* 7 */
                 "123,孙七,女,1,1班,新入学,,\n",               /* 8 */
                 TRUE);

  assert_problem (import, 2, CO_IMPORT_VERDICT_REFUSED, CO_IMPORT_PROBLEM_EDU_ID_EXCEL_EXPONENT);
  assert_problem (import, 3, CO_IMPORT_VERDICT_REFUSED, CO_IMPORT_PROBLEM_EDU_ID_EXCEL_EXPONENT);
  assert_problem (import, 4, CO_IMPORT_VERDICT_REFUSED, CO_IMPORT_PROBLEM_EDU_ID_LEADING_ZERO_LOST);
  g_assert_cmpstr (first_issue (row_at_line (import, 4))->suggestion, ==, "01101003");
  assert_ok (import, 5);
  row = row_at_line (import, 5);
  g_assert_cmpstr (row->values[CO_IMPORT_FIELD_EDU_ID], ==, "11010005");
  g_assert_cmpstr (row->values[CO_IMPORT_FIELD_NAME], ==, "李四");
  g_assert_cmpint (row->gender, ==, CO_GENDER_MALE);
  /* A row without Excel's empty trailing cells is one field short of the
   * header: refused, it may have shifted. */
  assert_problem (import, 6, CO_IMPORT_VERDICT_REFUSED, CO_IMPORT_PROBLEM_SHORT_ROW);
  assert_problem (import, 7, CO_IMPORT_VERDICT_REFUSED, CO_IMPORT_PROBLEM_EDU_ID_FORMAT);
  assert_problem (import, 8, CO_IMPORT_VERDICT_REFUSED, CO_IMPORT_PROBLEM_EDU_ID_FORMAT);

  /* The proposed fix is applied only when accepted, and survives validation. */
  g_assert_false (co_import_accept_fix (import, 0));
  g_assert_true (co_import_accept_fix (import, 2));
  assert_ok (import, 4);
  g_assert_cmpstr (row_at_line (import, 4)->values[CO_IMPORT_FIELD_EDU_ID], ==, "01101003");
  co_import_validate (import);
  assert_ok (import, 4);
}

/* Values typed in the app: kept through validation, an edited education ID
 * replaces an accepted fix and the other way round, a duplicate made or
 * undone by an edit, NULL goes back to the file. */
static void
test_set_value (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(CoImport) import = NULL;

  import = load (fx, CO_IMPORT_KIND_NEW_CARD, NULL, "",
                 "教育ID,姓名,性别,年级,班级,来源\n"
                 "11010001,王一,男,1,1班,新入学\n"   /* 2 */
                 "1101002,王二,,1,1班,新入学\n"      /* 3: zero lost, gender empty */
                 "11010003,王三,女,1,1班,新入学\n",  /* 4 */
                 FALSE);
  co_import_validate (import);

  assert_problem (import, 3, CO_IMPORT_VERDICT_REFUSED, CO_IMPORT_PROBLEM_EDU_ID_LEADING_ZERO_LOST);
  g_assert_true (co_import_set_value (import, 1, CO_IMPORT_FIELD_GENDER, " 女 "));
  g_assert_cmpstr (row_at_line (import, 3)->values[CO_IMPORT_FIELD_GENDER], ==, "女");
  g_assert_true (co_import_accept_fix (import, 1));
  assert_ok (import, 3);
  co_import_validate (import);
  assert_ok (import, 3);

  /* The same ID as line 2: a duplicate; typed back, fine again. */
  g_assert_true (co_import_set_value (import, 2, CO_IMPORT_FIELD_EDU_ID, "11010001"));
  assert_problem (import, 4, CO_IMPORT_VERDICT_REFUSED, CO_IMPORT_PROBLEM_DUPLICATE_ROW);
  g_assert_true (co_import_set_value (import, 2, CO_IMPORT_FIELD_EDU_ID, NULL));
  assert_ok (import, 4);
  g_assert_cmpstr (row_at_line (import, 4)->values[CO_IMPORT_FIELD_EDU_ID], ==, "11010003");

  /* A typed ID replaces the accepted fix. */
  g_assert_true (co_import_set_value (import, 1, CO_IMPORT_FIELD_EDU_ID, "110100"));
  assert_problem (import, 3, CO_IMPORT_VERDICT_REFUSED, CO_IMPORT_PROBLEM_EDU_ID_FORMAT);
  g_assert_true (co_import_set_value (import, 1, CO_IMPORT_FIELD_EDU_ID, "11010002"));
  assert_ok (import, 3);
}

static void
test_fields (Fixture       *fx,
             gconstpointer  data)
{
  g_autoptr(CoImport) import = NULL;
  const CoImportRow *row;

  import = load (fx, CO_IMPORT_KIND_NEW_CARD, NULL, "",
                 "教育ID,姓名,性别,年级,班级,来源\n"
                 ",王小明,男,1,1班,新入学\n"             /* 2 */
                 "11010002,,女,1,1班,新入学\n"           /* 3 */
                 "11010003,张三,未知,1,1班,新入学\n"     /* 4 */
                 "11010004,李四,男,13,1班,新入学\n"      /* 5 */
                 "11010005,赵五,男,初一,,新入学\n"       /* 6 */
                 "11010006,钱六,男,1,1班,插班\n"         /* 7 */
                 "11010007,孙七,女,1,1班,新入学,额外\n"  /* 8: extra field */
                 "11010008,周八,女,一年级,1班,新入学\n"  /* 9 */
                 "11010002,李华,女,1,1班,新入学\n"       /* 10: duplicate of 3 */
                 "11010008,周八,女,1,1班,新入学\n",      /* 11: duplicate of 9 */
                 FALSE);

  row = row_at_line (import, 2);
  g_assert_cmpint (first_issue (row)->problem, ==, CO_IMPORT_PROBLEM_MISSING_FIELD);
  g_assert_cmpint (first_issue (row)->field, ==, CO_IMPORT_FIELD_EDU_ID);
  row = row_at_line (import, 3);
  g_assert_cmpint (first_issue (row)->problem, ==, CO_IMPORT_PROBLEM_MISSING_FIELD);
  g_assert_cmpint (first_issue (row)->field, ==, CO_IMPORT_FIELD_NAME);
  assert_problem (import, 4, CO_IMPORT_VERDICT_REFUSED, CO_IMPORT_PROBLEM_GENDER_INVALID);
  assert_problem (import, 5, CO_IMPORT_VERDICT_REFUSED, CO_IMPORT_PROBLEM_GRADE_INVALID);
  row = row_at_line (import, 6);
  g_assert_cmpint (row->grade, ==, 7);
  g_assert_cmpint (first_issue (row)->field, ==, CO_IMPORT_FIELD_CLASS);
  /* Both the empty class and the ineligible grade are reported. */
  g_assert_cmpuint (row->issues->len, ==, 2);
  assert_problem (import, 7, CO_IMPORT_VERDICT_REFUSED, CO_IMPORT_PROBLEM_ENTRY_INVALID);
  assert_problem (import, 8, CO_IMPORT_VERDICT_WARNING, CO_IMPORT_PROBLEM_LONG_ROW);
  assert_ok (import, 9);
  assert_problem (import, 10, CO_IMPORT_VERDICT_REFUSED, CO_IMPORT_PROBLEM_DUPLICATE_ROW);
  g_assert_cmpuint (first_issue (row_at_line (import, 10))->other_line, ==, 3);
  assert_problem (import, 11, CO_IMPORT_VERDICT_REFUSED, CO_IMPORT_PROBLEM_DUPLICATE_ROW);
  g_assert_cmpuint (first_issue (row_at_line (import, 11))->other_line, ==, 9);
  g_assert_cmpuint (co_import_count (import, CO_IMPORT_VERDICT_OK), ==, 1);
  g_assert_cmpuint (co_import_count (import, CO_IMPORT_VERDICT_WARNING), ==, 1);
}

static void
assert_ineligible (CoImport *import,
                   guint     line,
                   CoReason  reason)
{
  assert_problem (import, line, CO_IMPORT_VERDICT_REFUSED, CO_IMPORT_PROBLEM_INELIGIBLE);
  g_assert_cmpint (first_issue (row_at_line (import, line))->reason, ==, reason);
}

static void
test_eligibility (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(CoImport) cards = NULL;
  g_autoptr(CoImport) stickers = NULL;

  cards = load (fx, CO_IMPORT_KIND_NEW_CARD, NULL, "",
                "教育ID,姓名,性别,年级,班级,来源\n"
                "11010001,甲,男,1,1班,新入学\n"
                "11010002,乙,男,2,1班,新入学\n"
                "11010003,丙,男,4,1班,外省转入\n"
                "11010004,丁,男,1,1班,市内转学\n"
                "11010005,戊,男,3,1班,在校生\n", FALSE);
  assert_ok (cards, 2);
  assert_ineligible (cards, 3, CO_REASON_NEW_CARD_NOT_ENTRANT);
  assert_ok (cards, 4);
  assert_ineligible (cards, 5, CO_REASON_NEW_CARD_TRANSFER_INSIDE);
  assert_ineligible (cards, 6, CO_REASON_NEW_CARD_NOT_ENTRANT);

  stickers = load (fx, CO_IMPORT_KIND_STICKER, NULL, "",
                   "教育ID,姓名,性别,年级,班级,来源,本学段已补卡\n"
                   "11010001,甲,男,初一,1班,新入学,否\n"
                   "11010002,乙,男,高一,1班,市内转学,\n"
                   "11010003,丙,男,8,1班,新入学,否\n"
                   "11010004,丁,男,7,1班,在校生,否\n"
                   "11010005,戊,男,10,1班,新入学,是\n"
                   "11010006,己,男,10,1班,新入学,也许\n", FALSE);
  assert_ok (stickers, 2);
  assert_ok (stickers, 3);
  assert_ineligible (stickers, 4, CO_REASON_STICKER_WRONG_GRADE);
  assert_ineligible (stickers, 5, CO_REASON_STICKER_NOT_NEW);
  assert_ineligible (stickers, 6, CO_REASON_STICKER_REISSUED);
  assert_problem (stickers, 7, CO_IMPORT_VERDICT_REFUSED, CO_IMPORT_PROBLEM_REISSUED_INVALID);
}

static void
assert_photo (CoImport             *import,
              guint                 line,
              CoImportPhotoProblem  problem)
{
  assert_problem (import, line, CO_IMPORT_VERDICT_REFUSED, CO_IMPORT_PROBLEM_PHOTO_BAD);
  g_assert_cmpstr (co_import_photo_problem_to_string (first_issue (row_at_line (import, line))->photo), ==,
                   co_import_photo_problem_to_string (problem));
}

static void
test_photos (Fixture       *fx,
             gconstpointer  data)
{
  g_autoptr(CoImport) import = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *small = g_test_build_filename (G_TEST_DIST, "print", "data", "red.jpg", NULL);
  g_autofree char *good = data_file ("photo-260x320.jpg");
  g_autofree char *jpeg = NULL;
  g_autofree char *path = NULL;
  gsize length = 0;

  g_file_get_contents (good, &jpeg, &length, &error);
  g_assert_no_error (error);

  path = g_build_filename (fx->photos, "11010002.png", NULL);
  write_png (path, 300, 380);
  g_free (path);
  path = g_build_filename (fx->photos, "11010003.jpg", NULL);
  g_file_set_contents (path, jpeg, length / 2, &error);                  /* truncated */
  g_assert_no_error (error);
  g_free (path);
  path = g_build_filename (fx->photos, "11010004.jpg", NULL);
  g_file_set_contents (path, "not a photo at all", -1, &error);
  g_assert_no_error (error);
  g_free (path);
  path = g_build_filename (fx->photos, "11010005.png", NULL);
  write_png (path, 300, 380);
  {
    g_autofree char *png = NULL;
    gsize png_length = 0;

    g_file_get_contents (path, &png, &png_length, &error);
    g_assert_no_error (error);
    g_file_set_contents (path, png, png_length - 20, &error);            /* truncated */
    g_assert_no_error (error);
  }
  g_free (path);
  copy_file (small, (path = g_build_filename (fx->photos, "11010006.jpg", NULL)));
  g_free (path);
  add_photo (fx, "wide-400x300.jpg", "11010007.jpg");
  add_photo (fx, "photo-260x320.jpg", "11010008-a.jpg");
  add_photo (fx, "photo-260x320.jpg", "11010008-b.jpg");
  add_photo (fx, "photo-260x320.jpg", "student-1.jpg");
  path = g_build_filename (fx->photos, "11010010.gif", NULL);
  g_file_set_contents (path, "GIF89a\001\000\001\000", -1, &error);
  g_assert_no_error (error);

  import = load (fx, CO_IMPORT_KIND_NEW_CARD, NULL, "",
                 "教育ID,姓名,性别,年级,班级,来源,照片\n"
                 "11010001,甲,男,1,1班,新入学,\n"              /* 2: no file */
                 "11010002,乙,男,1,1班,新入学,\n"              /* 3: PNG */
                 "11010003,丙,男,1,1班,新入学,\n"              /* 4 */
                 "11010004,丁,男,1,1班,新入学,\n"              /* 5 */
                 "11010005,戊,男,1,1班,新入学,\n"              /* 6 */
                 "11010006,己,男,1,1班,新入学,\n"              /* 7 */
                 "11010007,庚,男,1,1班,新入学,\n"              /* 8 */
                 "11010008,辛,男,1,1班,新入学,\n"              /* 9 */
                 "11010009,壬,男,1,1班,新入学,student-1.jpg\n" /* 10: named */
                 "11010010,癸,男,1,1班,新入学,\n"              /* 11 */
                 "11010011,子,男,1,1班,新入学,nowhere.jpg\n",  /* 12 */
                 TRUE);

  assert_problem (import, 2, CO_IMPORT_VERDICT_REFUSED, CO_IMPORT_PROBLEM_PHOTO_MISSING);
  assert_ok (import, 3);
  g_assert_cmpint (row_at_line (import, 3)->photo_width, ==, 300);
  assert_photo (import, 4, CO_IMPORT_PHOTO_CORRUPT);
  assert_photo (import, 5, CO_IMPORT_PHOTO_NOT_JPEG_OR_PNG);
  assert_photo (import, 6, CO_IMPORT_PHOTO_CORRUPT);
  assert_photo (import, 7, CO_IMPORT_PHOTO_TOO_SMALL);
  assert_photo (import, 8, CO_IMPORT_PHOTO_ASPECT);
  assert_photo (import, 9, CO_IMPORT_PHOTO_AMBIGUOUS);
  assert_ok (import, 10);
  assert_photo (import, 11, CO_IMPORT_PHOTO_NOT_JPEG_OR_PNG);
  assert_problem (import, 12, CO_IMPORT_VERDICT_REFUSED, CO_IMPORT_PROBLEM_PHOTO_MISSING);

  /* A smaller minimum lets the 60 × 80 photo through. */
  co_import_set_photo_min_size (import, 60, 80);
  co_import_validate (import);
  assert_ok (import, 7);
}

static void
test_malformed (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(CoImport) import = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fx->dir, "book.csv", NULL);
  static const guint8 binary[] = { 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 1, 2 };

  import = load (fx, CO_IMPORT_KIND_NEW_CARD, "GBK", "",
                 "教育ID,姓名,性别,年级,班级,来源\n"
                 "11010001,\"王\n小明\",男,1,1班,新入学\n"  /* 2-3: embedded newline */
                 "11010002,李华,女,1\n"                      /* 4: short */
                 "11010003,\"张三,男,1,1班,新入学\n"         /* 5: unterminated */
                 "11010004,李四,男,1,1班,新入学\n"           /* 6 */
                 "11010005,\"赵\"\"五\",男,1,\"1班\"\n"      /* 7: short, quoted */
                 "11010006,钱六,女,1,1班,\"新入学\n",        /* 8: unterminated, last */
                 FALSE);
  g_assert_cmpuint (co_import_get_n_rows (import), ==, 6);
  assert_ok (import, 2);
  g_assert_cmpstr (row_at_line (import, 2)->values[CO_IMPORT_FIELD_NAME], ==, "王\n小明");
  assert_problem (import, 4, CO_IMPORT_VERDICT_REFUSED, CO_IMPORT_PROBLEM_SHORT_ROW);
  assert_problem (import, 5, CO_IMPORT_VERDICT_REFUSED, CO_IMPORT_PROBLEM_UNTERMINATED_QUOTE);
  g_assert_cmpstr (row_at_line (import, 5)->values[CO_IMPORT_FIELD_EDU_ID], ==, "11010003");
  assert_ok (import, 6);
  assert_problem (import, 7, CO_IMPORT_VERDICT_REFUSED, CO_IMPORT_PROBLEM_SHORT_ROW);
  assert_problem (import, 8, CO_IMPORT_VERDICT_REFUSED, CO_IMPORT_PROBLEM_UNTERMINATED_QUOTE);
  g_assert_cmpstr (row_at_line (import, 8)->values[CO_IMPORT_FIELD_EDU_ID], ==, "11010006");
  g_clear_object (&import);

  /* A workbook, or any binary file: the file as a whole is refused. */
  g_file_set_contents (path, (const char *) binary, sizeof binary, &error);
  g_assert_no_error (error);
  import = co_import_new (CO_IMPORT_KIND_NEW_CARD);
  g_assert_false (co_import_load_file (import, path, &error));
  g_assert_error (error, CO_CSV_ERROR, CO_CSV_ERROR_BINARY);
  g_clear_error (&error);

  /* A quote that never closes in the header: nothing to read. */
  g_file_set_contents (path, "教育ID,\"姓名\n1,2\n", -1, &error);
  g_assert_no_error (error);
  g_assert_false (co_import_load_file (import, path, &error));
  g_assert_error (error, CO_CSV_ERROR, CO_CSV_ERROR_UNTERMINATED_QUOTE);
}

static gboolean
roster_cb (const char *edu_id,
           char      **name,
           gboolean   *reissued,
           gpointer    user_data)
{
  if (g_str_equal (edu_id, "11010003"))
    return FALSE;
  *name = g_strdup (g_str_equal (edu_id, "11010002") ? "李桦" : "甲");
  *reissued = g_str_equal (edu_id, "11010004");
  return TRUE;
}

static void
test_roster (Fixture       *fx,
             gconstpointer  data)
{
  g_autoptr(CoImport) import = NULL;

  import = load (fx, CO_IMPORT_KIND_STICKER, NULL, "",
                 "教育ID,姓名,性别,年级,班级,来源\n"
                 "11010001,甲,男,7,1班,新入学\n"
                 "11010002,李华,女,7,1班,新入学\n"
                 "11010003,丙,男,7,1班,新入学\n"
                 "11010004,甲,男,10,1班,新入学\n", FALSE);
  co_import_check_roster (import, roster_cb, NULL);
  assert_ok (import, 2);
  assert_problem (import, 3, CO_IMPORT_VERDICT_WARNING, CO_IMPORT_PROBLEM_NAME_MISMATCH);
  g_assert_cmpstr (first_issue (row_at_line (import, 3))->suggestion, ==, "李桦");
  assert_problem (import, 4, CO_IMPORT_VERDICT_REFUSED, CO_IMPORT_PROBLEM_UNKNOWN_STUDENT);
  assert_ineligible (import, 5, CO_REASON_STICKER_REISSUED);
}

static void
test_mapping (Fixture       *fx,
              gconstpointer  data)
{
  g_autoptr(CoImport) import = NULL;
  CoImportField missing[CO_IMPORT_N_FIELDS];

  import = load (fx, CO_IMPORT_KIND_NEW_CARD, "GBK", "",
                 "学籍号,名字,性别,年级,班级,类别\n"
                 "11010001,甲,男,1,1班,新入学\n", FALSE);
  g_assert_cmpuint (co_import_get_missing_fields (import, missing), ==, 3);
  g_assert_cmpint (missing[0], ==, CO_IMPORT_FIELD_EDU_ID);
  g_assert_cmpint (missing[1], ==, CO_IMPORT_FIELD_NAME);
  g_assert_cmpint (missing[2], ==, CO_IMPORT_FIELD_ENTRY);
  g_assert_cmpstr (co_import_get_header (import, 5), ==, "类别");

  co_import_set_column (import, CO_IMPORT_FIELD_EDU_ID, 0);
  co_import_set_column (import, CO_IMPORT_FIELD_NAME, 1);
  co_import_set_column (import, CO_IMPORT_FIELD_ENTRY, 5);
  g_assert_cmpuint (co_import_get_missing_fields (import, NULL), ==, 0);
  co_import_validate (import);
  assert_ok (import, 2);
}

static void
test_crop (void)
{
  int x, y, w, h;

  co_import_photo_crop (260, 320, &x, &y, &w, &h);
  g_assert_cmpint (x, ==, 0); g_assert_cmpint (y, ==, 0);
  g_assert_cmpint (w, ==, 260); g_assert_cmpint (h, ==, 320);
  /* A 1-inch ID photo (295 × 413): full width, centred vertically. */
  co_import_photo_crop (295, 413, &x, &y, &w, &h);
  g_assert_cmpint (w, ==, 295); g_assert_cmpint (h, ==, 363);
  g_assert_cmpint (x, ==, 0); g_assert_cmpint (y, ==, 25);
  co_import_photo_crop (400, 300, &x, &y, &w, &h);
  g_assert_cmpint (w, ==, 243); g_assert_cmpint (h, ==, 300);
  g_assert_cmpint (x, ==, 78); g_assert_cmpint (y, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, set_up, fn, tear_down)
  ADD ("/core/import/encoding/gbk", test_gbk);
  ADD ("/core/import/encoding/utf8-bom", test_utf8_bom);
  ADD ("/core/import/encoding/utf8", test_utf8);
  ADD ("/core/import/tsv-english", test_tsv_english);
  ADD ("/core/import/excel-quirks", test_excel_quirks);
  ADD ("/core/import/fields", test_fields);
  ADD ("/core/import/eligibility", test_eligibility);
  ADD ("/core/import/photos", test_photos);
  ADD ("/core/import/malformed", test_malformed);
  ADD ("/core/import/roster", test_roster);
  ADD ("/core/import/mapping", test_mapping);
  ADD ("/core/import/set-value", test_set_value);
#undef ADD
  g_test_add_func ("/core/import/crop", test_crop);

  return g_test_run ();
}
