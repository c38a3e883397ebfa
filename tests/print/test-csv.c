/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * CoCsv: encodings as offices produce them, RFC 4180 quoting, delimiters,
 * line numbers, header lookup and the errors people need to see.
 */
#define G_LOG_DOMAIN "test-csv"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "co-csv.h"

static CoCsv *
parse (const char  *data,
       gssize       length,
       GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, length < 0 ? strlen (data) : (gsize) length);

  return co_csv_new_from_bytes (bytes, error);
}

static CoCsv *
parse_ok (const char *data,
          gssize      length)
{
  g_autoptr(GError) error = NULL;
  CoCsv *csv = parse (data, length, &error);

  g_assert_no_error (error);
  g_assert_nonnull (csv);
  return csv;
}

static const char * const roster_utf8 =
  "教育ID,姓名,性别,学校,学段,有效期,一卡通号,北京通号,照片\n"
  "11010001,王小明,男,北京市第一中学,初中,2027-07-31,1000123456789001,BJT1,a.jpg\n"
  "11010002,李华,女,北京市第一中学,高中,2027-07-31,1000123456789002,BJT2,b.jpg\n";

static void
check_roster (CoCsv *csv)
{
  const char *edu_id[] = { "教育ID", "edu_id", NULL };
  const char *name[] = { "name", "姓名", NULL };

  g_assert_cmpuint (co_csv_get_n_columns (csv), ==, 9);
  g_assert_cmpuint (co_csv_get_n_rows (csv), ==, 2);
  g_assert_cmpint (co_csv_find_column (csv, edu_id), ==, 0);
  g_assert_cmpint (co_csv_find_column (csv, name), ==, 1);
  g_assert_cmpstr (co_csv_get_field (csv, 0, 1), ==, "王小明");
  g_assert_cmpstr (co_csv_get_field (csv, 1, 3), ==, "北京市第一中学");
  g_assert_cmpstr (co_csv_get_field (csv, 1, 8), ==, "b.jpg");
  g_assert_cmpuint (co_csv_get_row_line (csv, 0), ==, 2);
  g_assert_cmpuint (co_csv_get_row_line (csv, 1), ==, 3);
}

static void
test_utf8 (void)
{
  g_autoptr(CoCsv) csv = parse_ok (roster_utf8, -1);

  g_assert_cmpint (co_csv_get_encoding (csv), ==, CO_CSV_ENCODING_UTF8);
  g_assert_cmpint (co_csv_get_delimiter (csv), ==, ',');
  check_roster (csv);
}

static void
test_utf8_bom (void)
{
  g_autofree char *data = g_strconcat ("\xef\xbb\xbf", roster_utf8, NULL);
  g_autoptr(CoCsv) csv = parse_ok (data, -1);

  g_assert_cmpint (co_csv_get_encoding (csv), ==, CO_CSV_ENCODING_UTF8_BOM);
  g_assert_cmpstr (co_csv_get_header (csv, 0), ==, "教育ID");
  check_roster (csv);
}

/* Excel's "CSV" on a Chinese Windows: GBK, which GB18030 reads. */
static void
test_gbk (void)
{
  g_autoptr(GError) error = NULL;
  gsize length;
  g_autofree char *gbk = g_convert (roster_utf8, -1, "GBK", "UTF-8", NULL, &length, &error);
  g_autoptr(CoCsv) csv = NULL;

  g_assert_no_error (error);
  g_assert_false (g_utf8_validate (gbk, length, NULL));
  csv = parse_ok (gbk, length);
  g_assert_cmpint (co_csv_get_encoding (csv), ==, CO_CSV_ENCODING_GB18030);
  g_assert_cmpstr (co_csv_encoding_to_string (co_csv_get_encoding (csv)), ==, "gb18030");
  check_roster (csv);
}

/* Excel's "Unicode text": UTF-16 with BOM, tab-separated. */
static void
test_utf16_tab (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) tsv = g_string_new (NULL);
  g_autofree char *utf16 = NULL;
  g_autofree char *data = NULL;
  gsize length;
  g_autoptr(CoCsv) csv = NULL;

  for (const char *p = roster_utf8; *p; p++)
    g_string_append_c (tsv, *p == ',' ? '\t' : *p);
  utf16 = g_convert (tsv->str, -1, "UTF-16LE", "UTF-8", NULL, &length, &error);
  g_assert_no_error (error);
  data = g_malloc (length + 2);
  data[0] = (char) 0xff;
  data[1] = (char) 0xfe;
  memcpy (data + 2, utf16, length);
  csv = parse_ok (data, length + 2);
  g_assert_cmpint (co_csv_get_encoding (csv), ==, CO_CSV_ENCODING_UTF16);
  g_assert_cmpint (co_csv_get_delimiter (csv), ==, '\t');
  check_roster (csv);
}

static void
test_quoting (void)
{
  g_autoptr(CoCsv) csv = parse_ok (
    "name,address,note\r\n"
    "\"王, 小明\",\"北京市海淀区\r\n中关村大街27号\",\"他说\"\"你好\"\"\"\r\n"
    "李华,,\"\"\r\n"
    "\"张\"\"伟\",\"a\nb\nc\",end\r\n", -1);

  g_assert_cmpuint (co_csv_get_n_rows (csv), ==, 3);
  g_assert_cmpstr (co_csv_get_field (csv, 0, 0), ==, "王, 小明");
  g_assert_cmpstr (co_csv_get_field (csv, 0, 1), ==, "北京市海淀区\n中关村大街27号");
  g_assert_cmpstr (co_csv_get_field (csv, 0, 2), ==, "他说\"你好\"");
  g_assert_cmpstr (co_csv_get_field (csv, 1, 1), ==, "");
  g_assert_cmpstr (co_csv_get_field (csv, 1, 2), ==, "");
  g_assert_cmpstr (co_csv_get_field (csv, 2, 0), ==, "张\"伟");
  g_assert_cmpstr (co_csv_get_field (csv, 2, 1), ==, "a\nb\nc");
  g_assert_cmpstr (co_csv_get_field (csv, 2, 2), ==, "end");
  /* Rows keep the line they start on, after multi-line fields. */
  g_assert_cmpuint (co_csv_get_row_line (csv, 0), ==, 2);
  g_assert_cmpuint (co_csv_get_row_line (csv, 1), ==, 4);
  g_assert_cmpuint (co_csv_get_row_line (csv, 2), ==, 5);
  g_assert_true (co_csv_check_row (csv, 2, NULL));
}

static void
test_line_ends_and_blanks (void)
{
  /* Old Mac CR line ends, blank lines, Excel's rows of empty cells, no final newline. */
  g_autoptr(CoCsv) csv = parse_ok ("a,b,c\r1,2,3\r\r,,\r4,5,\r\n\n7,8,9", -1);

  g_assert_cmpuint (co_csv_get_n_rows (csv), ==, 3);
  g_assert_cmpstr (co_csv_get_field (csv, 0, 2), ==, "3");
  g_assert_cmpstr (co_csv_get_field (csv, 1, 0), ==, "4");
  g_assert_cmpstr (co_csv_get_field (csv, 1, 2), ==, "");
  g_assert_cmpuint (co_csv_get_row_n_fields (csv, 1), ==, 3);
  g_assert_cmpstr (co_csv_get_field (csv, 2, 2), ==, "9");
  g_assert_cmpuint (co_csv_get_row_line (csv, 0), ==, 2);
  g_assert_cmpuint (co_csv_get_row_line (csv, 1), ==, 5);
  g_assert_cmpuint (co_csv_get_row_line (csv, 2), ==, 7);
}

static void
test_delimiter_detection (void)
{
  g_autoptr(CoCsv) tabs = parse_ok ("姓名\t地址\n王小明\t北京市, 海淀区\n", -1);
  g_autoptr(CoCsv) commas = parse_ok ("\"a\tb\",c\n1,2\n", -1);

  g_assert_cmpint (co_csv_get_delimiter (tabs), ==, '\t');
  g_assert_cmpstr (co_csv_get_field (tabs, 0, 1), ==, "北京市, 海淀区");
  g_assert_cmpint (co_csv_get_delimiter (commas), ==, ',');
  g_assert_cmpstr (co_csv_get_header (commas, 0), ==, "a\tb");
}

static void
test_header_lookup (void)
{
  g_autoptr(CoCsv) csv = parse_ok (" Edu ID ,Card-No,一卡通号,photo_path\n1,2,3,4\n", -1);
  const char *edu_id[] = { "教育ID", "edu_id", NULL };
  const char *card[] = { "一卡通号", "card_no", NULL };
  const char *card_en[] = { "card_no", "一卡通号", NULL };
  const char *photo[] = { "照片", "Photo Path", NULL };
  const char *missing[] = { "北京通号", "bjt_no", NULL };

  g_assert_cmpstr (co_csv_get_header (csv, 0), ==, "Edu ID");
  g_assert_cmpint (co_csv_find_column (csv, edu_id), ==, 0);
  /* The first name found wins: the caller's order of preference. */
  g_assert_cmpint (co_csv_find_column (csv, card), ==, 2);
  g_assert_cmpint (co_csv_find_column (csv, card_en), ==, 1);
  g_assert_cmpint (co_csv_find_column (csv, photo), ==, 3);
  g_assert_cmpint (co_csv_find_column (csv, missing), ==, -1);
  g_assert_null (co_csv_get_field (csv, 0, -1));
}

static void
test_short_and_long_rows (void)
{
  g_autoptr(CoCsv) csv = parse_ok ("a,b,c\n1,2,3\n4,5\n6,7,8,9\n", -1);
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (co_csv_get_n_rows (csv), ==, 3);
  g_assert_true (co_csv_check_row (csv, 0, &error));
  g_assert_false (co_csv_check_row (csv, 1, &error));
  g_assert_error (error, CO_CSV_ERROR, CO_CSV_ERROR_SHORT_ROW);
  g_assert_nonnull (strstr (error->message, "Line 3"));
  g_clear_error (&error);
  g_assert_null (co_csv_get_field (csv, 1, 2));
  g_assert_cmpstr (co_csv_get_field (csv, 1, 1), ==, "5");
  g_assert_false (co_csv_check_row (csv, 2, &error));
  g_assert_error (error, CO_CSV_ERROR, CO_CSV_ERROR_LONG_ROW);
  g_assert_nonnull (strstr (error->message, "Line 4"));
}

static void
test_errors (void)
{
  const struct { const char *data; gssize length; CoCsvError code; const char *in_message; } cases[] = {
    { "a,b\n1,\"2\n3,4\n5,6\n", -1, CO_CSV_ERROR_UNTERMINATED_QUOTE, "line 2" },
    { "a,b\n1,2\n3,\"x\"\"\n", -1, CO_CSV_ERROR_UNTERMINATED_QUOTE, "line 3" },
    { "a,b\n1\0002\n", 8, CO_CSV_ERROR_BINARY, NULL },
    { "PK\003\004\024\000\006\000", 8, CO_CSV_ERROR_BINARY, "xlsx" },
    { "\320\317\021\340\241\261\032\341rest", 12, CO_CSV_ERROR_BINARY, "xls" },
    { "a,b\n\xff\xff\xff\xff\n", -1, CO_CSV_ERROR_ENCODING, "Line 2" },
    { "\xef\xbb\xbf" "a,b\n\xc3\x28\n", -1, CO_CSV_ERROR_ENCODING, "line 2" },
    { "", 0, CO_CSV_ERROR_EMPTY, NULL },
    { "\n\n,,\n", -1, CO_CSV_ERROR_EMPTY, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CoCsv) csv = parse (cases[i].data, cases[i].length, &error);

      g_test_message ("case %u", i);
      g_assert_null (csv);
      g_assert_error (error, CO_CSV_ERROR, (int) cases[i].code);
      if (cases[i].in_message != NULL && strstr (error->message, cases[i].in_message) == NULL)
        g_error ("case %u: “%s” does not mention “%s”", i, error->message, cases[i].in_message);
    }
}

static void
test_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(CoCsv) csv = NULL;
  int fd;

  g_assert_null (co_csv_new_from_file ("/nonexistent/roster.csv", &error));
  g_assert_error (error, CO_CSV_ERROR, CO_CSV_ERROR_READ);
  g_clear_error (&error);

  fd = g_file_open_tmp ("co-csv-XXXXXX.csv", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (path, roster_utf8, -1, NULL));
  csv = co_csv_new_from_file (path, &error);
  g_assert_no_error (error);
  check_roster (csv);
  g_unlink (path);
}

/* A big roster parses quickly and keeps every row. */
static void
test_many_rows (void)
{
  g_autoptr(GString) data = g_string_new ("教育ID,姓名,备注\n");
  g_autoptr(CoCsv) csv = NULL;

  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (data, "%08u,学生%u,\"第%u行\n备注\"\n", 11000000 + i, i, i);
  csv = parse_ok (data->str, data->len);
  g_assert_cmpuint (co_csv_get_n_rows (csv), ==, 20000);
  g_assert_cmpstr (co_csv_get_field (csv, 19999, 1), ==, "学生19999");
  g_assert_cmpuint (co_csv_get_row_line (csv, 19999), ==, 2 + 2 * 19999);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/csv/encoding/utf-8", test_utf8);
  g_test_add_func ("/csv/encoding/utf-8-bom", test_utf8_bom);
  g_test_add_func ("/csv/encoding/gbk", test_gbk);
  g_test_add_func ("/csv/encoding/utf-16-tab", test_utf16_tab);
  g_test_add_func ("/csv/quoting", test_quoting);
  g_test_add_func ("/csv/line-ends-and-blanks", test_line_ends_and_blanks);
  g_test_add_func ("/csv/delimiter", test_delimiter_detection);
  g_test_add_func ("/csv/header-lookup", test_header_lookup);
  g_test_add_func ("/csv/short-and-long-rows", test_short_and_long_rows);
  g_test_add_func ("/csv/errors", test_errors);
  g_test_add_func ("/csv/file", test_file);
  g_test_add_func ("/csv/many-rows", test_many_rows);

  return g_test_run ();
}
