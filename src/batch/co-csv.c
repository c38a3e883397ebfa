/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "co-csv"

#include "config.h"

#include <string.h>

#include "co-csv.h"

typedef struct
{
  guint line;
  guint first;     /* index of its first field in self->fields */
  guint n_fields;
} Row;

struct _CoCsv
{
  GObject        parent_instance;

  CoCsvEncoding  encoding;
  char           delimiter;
  GStringChunk  *strings;
  GPtrArray     *fields;   /* every field, row after row; borrowed from strings */
  GArray        *rows;     /* Row; rows[0] is the header */
};

G_DEFINE_FINAL_TYPE (CoCsv, co_csv, G_TYPE_OBJECT)

G_DEFINE_QUARK (co-csv-error-quark, co_csv_error)

static guint
line_at (const char *text,
         gsize       offset)
{
  guint line = 1;

  for (gsize i = 0; i < offset; i++)
    if (text[i] == '\n' || (text[i] == '\r' && text[i + 1] != '\n'))
      line++;
  return line;
}

static gboolean
looks_binary (const guint8 *data,
              gsize         length,
              GError      **error)
{
  gsize check = MIN (length, 65536);
  gsize controls = 0;

  if (length >= 4 && memcmp (data, "PK\003\004", 4) == 0)
    {
      g_set_error_literal (error, CO_CSV_ERROR, CO_CSV_ERROR_BINARY,
                           "This is a ZIP file (an .xlsx workbook?), not CSV text");
      return TRUE;
    }
  if (length >= 8 && memcmp (data, "\320\317\021\340\241\261\032\341", 8) == 0)
    {
      g_set_error_literal (error, CO_CSV_ERROR, CO_CSV_ERROR_BINARY,
                           "This is an .xls workbook, not CSV text");
      return TRUE;
    }
  if (memchr (data, '\0', length) != NULL)
    {
      g_set_error_literal (error, CO_CSV_ERROR, CO_CSV_ERROR_BINARY,
                           "This is a binary file, not CSV text");
      return TRUE;
    }
  for (gsize i = 0; i < check; i++)
    if (data[i] < 0x20 && data[i] != '\t' && data[i] != '\n' && data[i] != '\r')
      controls++;
  if (controls > check / 100 + 2)
    {
      g_set_error_literal (error, CO_CSV_ERROR, CO_CSV_ERROR_BINARY,
                           "This is a binary file, not CSV text");
      return TRUE;
    }
  return FALSE;
}

/* The text as UTF-8, without BOM. */
static char *
decode (CoCsv        *self,
        const guint8 *data,
        gsize         length,
        gsize        *out_length,
        GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *invalid = NULL;
  gsize read = 0, written = 0;
  char *text;

  if (length >= 2 && ((data[0] == 0xff && data[1] == 0xfe) || (data[0] == 0xfe && data[1] == 0xff)))
    {
      const char *charset = data[0] == 0xff ? "UTF-16LE" : "UTF-16BE";

      self->encoding = CO_CSV_ENCODING_UTF16;
      text = g_convert ((const char *) data + 2, length - 2, "UTF-8", charset,
                        &read, &written, &local_error);
      if (text == NULL)
        {
          g_set_error (error, CO_CSV_ERROR, CO_CSV_ERROR_ENCODING,
                       "The file starts as UTF-16 but is not valid UTF-16 at byte %" G_GSIZE_FORMAT,
                       read + 2);
          return NULL;
        }
      if (looks_binary ((const guint8 *) text, written, error))
        {
          g_free (text);
          return NULL;
        }
      *out_length = written;
      return text;
    }

  if (looks_binary (data, length, error))
    return NULL;

  if (length >= 3 && data[0] == 0xef && data[1] == 0xbb && data[2] == 0xbf)
    {
      self->encoding = CO_CSV_ENCODING_UTF8_BOM;
      if (!g_utf8_validate ((const char *) data + 3, length - 3, &invalid))
        {
          g_set_error (error, CO_CSV_ERROR, CO_CSV_ERROR_ENCODING,
                       "The file is marked UTF-8 but line %u is not UTF-8",
                       line_at ((const char *) data, invalid - (const char *) data));
          return NULL;
        }
      *out_length = length - 3;
      return g_strndup ((const char *) data + 3, length - 3);
    }

  if (g_utf8_validate ((const char *) data, length, NULL))
    {
      self->encoding = CO_CSV_ENCODING_UTF8;
      *out_length = length;
      return g_strndup ((const char *) data, length);
    }

  self->encoding = CO_CSV_ENCODING_GB18030;
  text = g_convert ((const char *) data, length, "UTF-8", "GB18030", &read, &written, &local_error);
  if (text == NULL)
    {
      g_autofree char *copy = g_strndup ((const char *) data, length);

      g_set_error (error, CO_CSV_ERROR, CO_CSV_ERROR_ENCODING,
                   "Line %u is neither UTF-8 nor GBK/GB18030 text",
                   line_at (copy, MIN (read, length)));
      return NULL;
    }
  *out_length = written;
  return text;
}

static char
detect_delimiter (const char *text,
                  gsize       length)
{
  gboolean quoted = FALSE;
  guint commas = 0, tabs = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      if (c == '"')
        quoted = !quoted;
      else if (!quoted && (c == '\n' || c == '\r'))
        break;
      else if (!quoted && c == ',')
        commas++;
      else if (!quoted && c == '\t')
        tabs++;
    }
  return tabs > commas ? '\t' : ',';
}

static gboolean
parse (CoCsv      *self,
       const char *text,
       gsize       length,
       GError    **error)
{
  g_autoptr(GString) field = g_string_new (NULL);
  const char delim = self->delimiter;
  gsize pos = 0;
  guint line = 1;

  while (pos < length)
    {
      Row row = { line, self->fields->len, 0 };
      gboolean all_empty = TRUE;

      for (;;)
        {
          g_string_truncate (field, 0);
          if (pos < length && text[pos] == '"')
            {
              guint quote_line = line;

              pos++;
              for (;;)
                {
                  char c;

                  if (pos >= length)
                    {
                      g_set_error (error, CO_CSV_ERROR, CO_CSV_ERROR_UNTERMINATED_QUOTE,
                                   "The quoted field opened on line %u never closes", quote_line);
                      return FALSE;
                    }
                  c = text[pos];
                  if (c == '"')
                    {
                      if (pos + 1 < length && text[pos + 1] == '"')
                        {
                          g_string_append_c (field, '"');
                          pos += 2;
                          continue;
                        }
                      pos++;
                      break;
                    }
                  if (c == '\r' || c == '\n')
                    {
                      /* An embedded line end reads as "\n" whatever the file uses. */
                      pos += (c == '\r' && pos + 1 < length && text[pos + 1] == '\n') ? 2 : 1;
                      g_string_append_c (field, '\n');
                      line++;
                      continue;
                    }
                  g_string_append_c (field, c);
                  pos++;
                }
              /* Text after the closing quote (a"b"c): kept, as Excel does. */
              while (pos < length && text[pos] != delim && text[pos] != '\r' && text[pos] != '\n')
                g_string_append_c (field, text[pos++]);
            }
          else
            {
              gsize start = pos;

              while (pos < length && text[pos] != delim && text[pos] != '\r' && text[pos] != '\n')
                pos++;
              g_string_append_len (field, text + start, pos - start);
            }

          if (field->len > 0)
            all_empty = FALSE;
          g_ptr_array_add (self->fields, g_string_chunk_insert_len (self->strings, field->str, field->len));
          row.n_fields++;

          if (pos < length && text[pos] == delim)
            {
              pos++;
              continue;
            }
          if (pos < length && text[pos] == '\r')
            {
              pos++;
              if (pos < length && text[pos] == '\n')
                pos++;
            }
          else if (pos < length && text[pos] == '\n')
            pos++;
          line++;
          break;
        }

      /* Blank lines, and Excel's rows of empty cells, carry nothing. */
      if (all_empty)
        g_ptr_array_set_size (self->fields, row.first);
      else
        g_array_append_val (self->rows, row);
    }
  return TRUE;
}

static void
co_csv_finalize (GObject *object)
{
  CoCsv *self = (CoCsv *) object;

  g_clear_pointer (&self->strings, g_string_chunk_free);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_clear_pointer (&self->rows, g_array_unref);

  G_OBJECT_CLASS (co_csv_parent_class)->finalize (object);
}

static void
co_csv_class_init (CoCsvClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = co_csv_finalize;
}

static void
co_csv_init (CoCsv *self)
{
  self->strings = g_string_chunk_new (64 * 1024);
  self->fields = g_ptr_array_new ();
  self->rows = g_array_new (FALSE, FALSE, sizeof (Row));
  self->delimiter = ',';
}

/**
 * co_csv_new_from_bytes:
 * @bytes: the file's content
 * @error: a %CO_CSV_ERROR
 *
 * Returns: (transfer full) (nullable): the table
 */
CoCsv *
co_csv_new_from_bytes (GBytes  *bytes,
                       GError **error)
{
  g_autoptr(CoCsv) self = NULL;
  g_autofree char *text = NULL;
  const guint8 *data;
  gsize length, text_length = 0;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (CO_TYPE_CSV, NULL);
  data = g_bytes_get_data (bytes, &length);
  if (length == 0)
    {
      g_set_error_literal (error, CO_CSV_ERROR, CO_CSV_ERROR_EMPTY, "The file is empty");
      return NULL;
    }
  if (!(text = decode (self, data, length, &text_length, error)))
    return NULL;

  self->delimiter = detect_delimiter (text, text_length);
  if (!parse (self, text, text_length, error))
    return NULL;
  if (self->rows->len == 0)
    {
      g_set_error_literal (error, CO_CSV_ERROR, CO_CSV_ERROR_EMPTY, "The file has no header line");
      return NULL;
    }
  /* Header names: trimmed, so " 姓名 " finds "姓名". */
  for (guint c = 0; c < co_csv_get_n_columns (self); c++)
    g_strstrip ((char *) g_ptr_array_index (self->fields, c));
  return g_steal_pointer (&self);
}

/**
 * co_csv_new_from_file:
 * @path: a CSV or TSV file
 * @error: a %CO_CSV_ERROR
 *
 * Returns: (transfer full) (nullable): the table
 */
CoCsv *
co_csv_new_from_file (const char  *path,
                      GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *data = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_get_contents (path, &data, &length, &local_error))
    {
      g_set_error (error, CO_CSV_ERROR, CO_CSV_ERROR_READ, "%s", local_error->message);
      return NULL;
    }
  bytes = g_bytes_new_take (data, length);
  return co_csv_new_from_bytes (bytes, error);
}

CoCsvEncoding
co_csv_get_encoding (CoCsv *self)
{
  g_return_val_if_fail (CO_IS_CSV (self), CO_CSV_ENCODING_UTF8);
  return self->encoding;
}

/* A stable name for logs and key=value output. */
const char *
co_csv_encoding_to_string (CoCsvEncoding encoding)
{
  switch (encoding)
    {
    case CO_CSV_ENCODING_UTF8: return "utf-8";
    case CO_CSV_ENCODING_UTF8_BOM: return "utf-8-bom";
    case CO_CSV_ENCODING_GB18030: return "gb18030";
    case CO_CSV_ENCODING_UTF16: return "utf-16";
    default: return "unknown";
    }
}

char
co_csv_get_delimiter (CoCsv *self)
{
  g_return_val_if_fail (CO_IS_CSV (self), ',');
  return self->delimiter;
}

guint
co_csv_get_n_columns (CoCsv *self)
{
  g_return_val_if_fail (CO_IS_CSV (self), 0);
  return g_array_index (self->rows, Row, 0).n_fields;
}

const char *
co_csv_get_header (CoCsv *self,
                   guint  column)
{
  g_return_val_if_fail (CO_IS_CSV (self), NULL);
  g_return_val_if_fail (column < co_csv_get_n_columns (self), NULL);
  return g_ptr_array_index (self->fields, column);
}

/* Lower-case ASCII, without spaces, '_' and '-': "Edu ID" = "edu_id". */
static char *
normalize_name (const char *name)
{
  GString *out = g_string_new (NULL);

  for (const char *p = name; *p; p++)
    {
      if (*p == ' ' || *p == '_' || *p == '-' || *p == '\t')
        continue;
      if (g_str_has_prefix (p, "\u3000"))   /* ideographic space */
        {
          p += strlen ("\u3000") - 1;
          continue;
        }
      g_string_append_c (out, g_ascii_tolower (*p));
    }
  return g_string_free (out, FALSE);
}

/**
 * co_csv_find_column:
 * @self: a table
 * @names: a %NULL-terminated list of names the column may have, Chinese
 *   or English, in order of preference
 *
 * Compares without case, spaces, '_' and '-'.
 *
 * Returns: the column, or -1
 */
int
co_csv_find_column (CoCsv              *self,
                    const char * const *names)
{
  guint n_columns;
  g_autoptr(GPtrArray) headers = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (CO_IS_CSV (self), -1);
  g_return_val_if_fail (names != NULL, -1);

  n_columns = co_csv_get_n_columns (self);
  for (guint c = 0; c < n_columns; c++)
    g_ptr_array_add (headers, normalize_name (g_ptr_array_index (self->fields, c)));

  for (guint n = 0; names[n] != NULL; n++)
    {
      g_autofree char *wanted = normalize_name (names[n]);

      for (guint c = 0; c < n_columns; c++)
        if (g_str_equal (wanted, g_ptr_array_index (headers, c)))
          return (int) c;
    }
  return -1;
}

guint
co_csv_get_n_rows (CoCsv *self)
{
  g_return_val_if_fail (CO_IS_CSV (self), 0);
  return self->rows->len - 1;
}

/* The line of the file the data row @row (from 0) starts on. */
guint
co_csv_get_row_line (CoCsv *self,
                     guint  row)
{
  g_return_val_if_fail (CO_IS_CSV (self), 0);
  g_return_val_if_fail (row < co_csv_get_n_rows (self), 0);
  return g_array_index (self->rows, Row, row + 1).line;
}

guint
co_csv_get_row_n_fields (CoCsv *self,
                         guint  row)
{
  g_return_val_if_fail (CO_IS_CSV (self), 0);
  g_return_val_if_fail (row < co_csv_get_n_rows (self), 0);
  return g_array_index (self->rows, Row, row + 1).n_fields;
}

/**
 * co_csv_get_field:
 * @self: a table
 * @row: a data row, from 0
 * @column: a column, or -1
 *
 * Returns: (nullable): the field as in the file (not trimmed), or %NULL
 *   when @column is -1 or beyond the row's end
 */
const char *
co_csv_get_field (CoCsv *self,
                  guint  row,
                  int    column)
{
  const Row *r;

  g_return_val_if_fail (CO_IS_CSV (self), NULL);
  g_return_val_if_fail (row < co_csv_get_n_rows (self), NULL);

  r = &g_array_index (self->rows, Row, row + 1);
  if (column < 0 || (guint) column >= r->n_fields)
    return NULL;
  return g_ptr_array_index (self->fields, r->first + column);
}

/**
 * co_csv_check_row:
 * @self: a table
 * @row: a data row, from 0
 * @error: %CO_CSV_ERROR_SHORT_ROW or %CO_CSV_ERROR_LONG_ROW, naming the line
 *
 * Returns: %TRUE when the row has as many fields as the header
 */
gboolean
co_csv_check_row (CoCsv   *self,
                  guint    row,
                  GError **error)
{
  guint n, expected;

  g_return_val_if_fail (CO_IS_CSV (self), FALSE);
  g_return_val_if_fail (row < co_csv_get_n_rows (self), FALSE);

  n = co_csv_get_row_n_fields (self, row);
  expected = co_csv_get_n_columns (self);
  if (n < expected)
    {
      g_set_error (error, CO_CSV_ERROR, CO_CSV_ERROR_SHORT_ROW,
                   "Line %u has %u fields, the header has %u",
                   co_csv_get_row_line (self, row), n, expected);
      return FALSE;
    }
  if (n > expected)
    {
      g_set_error (error, CO_CSV_ERROR, CO_CSV_ERROR_LONG_ROW,
                   "Line %u has %u fields, the header has %u",
                   co_csv_get_row_line (self, row), n, expected);
      return FALSE;
    }
  return TRUE;
}
