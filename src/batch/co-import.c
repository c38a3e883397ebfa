/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "co-import"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "co-csv.h"
#include "co-import.h"
#include "co-print-private.h"
#include "co-rules.h"

struct _CoImport
{
  GObject       parent_instance;

  CoImportKind  kind;
  CoCsv        *csv;
  char         *csv_dir;
  char         *photo_dir;
  int           min_width;
  int           min_height;
  int           columns[CO_IMPORT_N_FIELDS];
  GArray       *lost_lines;  /* guint: rows lost to unterminated quotes */
  GHashTable   *lost_ids;    /* line → the education ID the lost row starts with */
  GPtrArray    *rows;        /* CoImportRow */
  GHashTable   *photo_index; /* edu_id → path, or "" when several files match */
  GHashTable   *edits;       /* csv row → char *[CO_IMPORT_N_FIELDS]: values typed in the app */
};

G_DEFINE_FINAL_TYPE (CoImport, co_import, G_TYPE_OBJECT)

/* Header names, compared by co_csv_find_column() without case, spaces,
 * '_' and '-'. */
static const char * const field_names[CO_IMPORT_N_FIELDS][8] = {
  [CO_IMPORT_FIELD_EDU_ID] = { "教育ID", "edu_id", "education_id", "教育号", "教育id号", "学生教育ID", NULL },
  [CO_IMPORT_FIELD_NAME] = { "姓名", "name", "学生姓名", "student_name", NULL },
  [CO_IMPORT_FIELD_GENDER] = { "性别", "gender", "sex", NULL },
  [CO_IMPORT_FIELD_GRADE] = { "年级", "grade", "所在年级", NULL },
  [CO_IMPORT_FIELD_CLASS] = { "班级", "class", "class_name", "所在班级", NULL },
  [CO_IMPORT_FIELD_ENTRY] = { "来源", "entry", "source", "学生来源", "入学方式", NULL },
  [CO_IMPORT_FIELD_PHOTO] = { "照片", "photo", "photo_path", "照片文件", "照片路径", NULL },
  [CO_IMPORT_FIELD_REISSUED] = { "本学段已补卡", "reissued_in_stage", "reissued", "已补卡", NULL },
};

static const char * const field_wire[CO_IMPORT_N_FIELDS] = {
  "edu_id", "name", "gender", "grade", "class", "entry", "photo", "reissued_in_stage",
};

/* Helpers */

static void
issue_clear (CoImportIssue *issue)
{
  g_clear_pointer (&issue->suggestion, g_free);
}

static void
row_free (CoImportRow *row)
{
  g_clear_pointer (&row->issues, g_array_unref);
  for (guint f = 0; f < CO_IMPORT_N_FIELDS; f++)
    g_clear_pointer (&row->values[f], g_free);
  g_clear_pointer (&row->photo_path, g_free);
  g_clear_pointer (&row->edu_id_fix, g_free);
  g_free (row);
}

static CoImportIssue *
add_issue (CoImportRow     *row,
           CoImportProblem  problem,
           CoImportVerdict  verdict)
{
  CoImportIssue issue = { 0 };
  guint at = row->issues->len;

  issue.problem = problem;
  issue.verdict = verdict;
  /* Most serious first, otherwise in the order found. */
  for (guint i = 0; i < row->issues->len; i++)
    if (g_array_index (row->issues, CoImportIssue, i).verdict < verdict)
      {
        at = i;
        break;
      }
  g_array_insert_val (row->issues, at, issue);
  row->verdict = MAX (row->verdict, verdict);
  return &g_array_index (row->issues, CoImportIssue, at);
}

static void
add_field_issue (CoImportRow     *row,
                 CoImportProblem  problem,
                 CoImportField    field)
{
  add_issue (row, problem, CO_IMPORT_VERDICT_REFUSED)->field = field;
}

/* Trims ASCII white space, no-break spaces and ideographic spaces; NULL
 * when nothing is left. */
static char *
clean_value (const char *value)
{
  const char *start = value, *end;

  if (value == NULL)
    return NULL;
  end = value + strlen (value);
  for (;;)
    {
      if (start < end && g_ascii_isspace (*start))
        start++;
      else if (end - start >= 2 && memcmp (start, "\302\240", 2) == 0)
        start += 2;
      else if (end - start >= 3 && memcmp (start, "\343\200\200", 3) == 0)
        start += 3;
      else
        break;
    }
  for (;;)
    {
      if (end > start && g_ascii_isspace (end[-1]))
        end--;
      else if (end - start >= 2 && memcmp (end - 2, "\302\240", 2) == 0)
        end -= 2;
      else if (end - start >= 3 && memcmp (end - 3, "\343\200\200", 3) == 0)
        end -= 3;
      else
        break;
    }
  return end > start ? g_strndup (start, end - start) : NULL;
}

static gboolean
all_digits (const char *s,
            gsize       n)
{
  if (strlen (s) != n)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

/* Excel's scientific display of a long number: 1.2E+07, 1.10E+7, 1E+07. */
static gboolean
is_excel_exponent (const char *s)
{
  const char *p = s;

  if (!g_ascii_isdigit (*p))
    return FALSE;
  while (g_ascii_isdigit (*p))
    p++;
  if (*p == '.')
    {
      p++;
      while (g_ascii_isdigit (*p))
        p++;
    }
  if (*p != 'E' && *p != 'e')
    return FALSE;
  p++;
  if (*p == '+')
    p++;
  if (!g_ascii_isdigit (*p))
    return FALSE;
  while (g_ascii_isdigit (*p))
    p++;
  return *p == '\0';
}

static gboolean
parse_gender (const char *s,
              CoGender   *out)
{
  static const char * const male[] = { "男", "male", "m", "男生", NULL };
  static const char * const female[] = { "女", "female", "f", "女生", NULL };

  for (guint i = 0; male[i]; i++)
    if (g_ascii_strcasecmp (s, male[i]) == 0)
      {
        *out = CO_GENDER_MALE;
        return TRUE;
      }
  for (guint i = 0; female[i]; i++)
    if (g_ascii_strcasecmp (s, female[i]) == 0)
      {
        *out = CO_GENDER_FEMALE;
        return TRUE;
      }
  return FALSE;
}

/* "7", "7年级", "七年级", "初一", "高一", "grade 7". */
static gboolean
parse_grade (const char *s,
             int        *out)
{
  static const char * const numerals[] = {
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二",
  };
  g_autofree char *text = g_strdup (s);
  int base = 0, n = 0;
  char *p;

  if (g_str_has_suffix (text, "年级"))
    text[strlen (text) - strlen ("年级")] = '\0';
  p = text;
  if (g_ascii_strncasecmp (p, "grade", 5) == 0)
    for (p += 5; *p == ' '; p++)
      ;
  if (g_str_has_prefix (p, "初"))
    base = 6, p += strlen ("初");
  else if (g_str_has_prefix (p, "高"))
    base = 9, p += strlen ("高");

  if (*p != '\0' && strspn (p, "0123456789") == strlen (p) && strlen (p) <= 2)
    n = atoi (p);
  else
    for (guint i = 0; i < G_N_ELEMENTS (numerals); i++)
      if (g_str_equal (p, numerals[i]))
        n = i + 1;

  if (base > 0 && (n < 1 || n > 3))
    return FALSE;
  n += base;
  if (n < 1 || n > 12)
    return FALSE;
  *out = n;
  return TRUE;
}

static gboolean
parse_entry (const char *s,
             CoEntry    *out)
{
  static const struct { const char *text; CoEntry entry; } entries[] = {
    { "新入学", CO_ENTRY_NEW_ENTRANT },
    { "新生", CO_ENTRY_NEW_ENTRANT },
    { "新生入学", CO_ENTRY_NEW_ENTRANT },
    { "new_entrant", CO_ENTRY_NEW_ENTRANT },
    { "new entrant", CO_ENTRY_NEW_ENTRANT },
    { "外省转入", CO_ENTRY_TRANSFER_OUTSIDE },
    { "京外转入", CO_ENTRY_TRANSFER_OUTSIDE },
    { "外省市转入", CO_ENTRY_TRANSFER_OUTSIDE },
    { "transfer_outside", CO_ENTRY_TRANSFER_OUTSIDE },
    { "市内转学", CO_ENTRY_TRANSFER_INSIDE },
    { "市内转入", CO_ENTRY_TRANSFER_INSIDE },
    { "transfer_inside", CO_ENTRY_TRANSFER_INSIDE },
    { "在校生", CO_ENTRY_CONTINUING },
    { "在读", CO_ENTRY_CONTINUING },
    { "continuing", CO_ENTRY_CONTINUING },
  };

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    if (g_ascii_strcasecmp (s, entries[i].text) == 0)
      {
        *out = entries[i].entry;
        return TRUE;
      }
  return FALSE;
}

static gboolean
parse_yes_no (const char *s,
              gboolean   *out)
{
  static const char * const yes[] = { "是", "有", "yes", "y", "true", "1", NULL };
  static const char * const no[] = { "否", "无", "no", "n", "false", "0", NULL };

  for (guint i = 0; yes[i]; i++)
    if (g_ascii_strcasecmp (s, yes[i]) == 0)
      {
        *out = TRUE;
        return TRUE;
      }
  for (guint i = 0; no[i]; i++)
    if (g_ascii_strcasecmp (s, no[i]) == 0)
      {
        *out = FALSE;
        return TRUE;
      }
  return FALSE;
}

/* Photos */

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static CoImportPhotoProblem
check_photo (CoImport    *self,
             CoImportRow *row,
             const char  *path)
{
  g_autofree char *data = NULL;
  gsize length = 0;
  const guint8 *d;
  int w = 0, h = 0;
  double ratio, target;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return CO_IMPORT_PHOTO_UNREADABLE;
  if (!g_file_get_contents (path, &data, &length, NULL))
    return CO_IMPORT_PHOTO_UNREADABLE;
  if (length > CO_IMPORT_PHOTO_MAX_BYTES)
    return CO_IMPORT_PHOTO_TOO_LARGE;
  d = (const guint8 *) data;

  if (length >= 2 && d[0] == 0xff && d[1] == 0xd8)
    {
      g_autoptr(GError) error = NULL;
      int components, orientation;

      if (!_co_jpeg_parse_header (d, length, &w, &h, &components, &orientation, &error))
        return g_error_matches (error, CO_PRINT_ERROR, CO_PRINT_ERROR_PHOTO_UNSUPPORTED)
               ? CO_IMPORT_PHOTO_UNSUPPORTED : CO_IMPORT_PHOTO_CORRUPT;
      if (orientation >= 5)
        {
          int t = w;
          w = h;
          h = t;
        }
    }
  else if (length >= 8 && memcmp (d, "\211PNG\r\n\032\n", 8) == 0)
    {
      /* Signature, IHDR first, IEND last: a truncated copy lacks the end. */
      if (length < 8 + 8 + 13 + 4 + 12 || memcmp (d + 12, "IHDR", 4) != 0 ||
          memcmp (d + length - 8, "IEND\256B`\202", 8) != 0)
        return CO_IMPORT_PHOTO_CORRUPT;
      w = (int) MIN (read_be32 (d + 16), G_MAXINT);
      h = (int) MIN (read_be32 (d + 20), G_MAXINT);
      if (w <= 0 || h <= 0)
        return CO_IMPORT_PHOTO_CORRUPT;
    }
  else
    return CO_IMPORT_PHOTO_NOT_JPEG_OR_PNG;

  row->photo_width = w;
  row->photo_height = h;
  ratio = (double) w / h;
  target = (double) CO_IMPORT_PHOTO_WIDTH_MM / CO_IMPORT_PHOTO_HEIGHT_MM;
  if (ABS (ratio / target - 1.0) > CO_IMPORT_PHOTO_ASPECT_TOLERANCE)
    return CO_IMPORT_PHOTO_ASPECT;
  if (w < self->min_width || h < self->min_height)
    return CO_IMPORT_PHOTO_TOO_SMALL;
  return CO_IMPORT_PHOTO_OK;
}

/* Every file of the photo folder whose name holds exactly one run of
 * exactly 8 digits, by that run. */
static void
build_photo_index (CoImport *self)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_pointer (&self->photo_index, g_hash_table_unref);
  self->photo_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (self->photo_dir == NULL || !(dir = g_dir_open (self->photo_dir, 0, NULL)))
    return;

  while ((name = g_dir_read_name (dir)))
    {
      char id[CO_EDU_ID_LENGTH + 1] = { 0 };
      guint runs = 0;

      if (name[0] == '.')
        continue;
      for (const char *p = name; *p;)
        {
          gsize n = strspn (p, "0123456789");

          if (n == 0)
            {
              p++;
              continue;
            }
          if (n == CO_EDU_ID_LENGTH)
            {
              memcpy (id, p, CO_EDU_ID_LENGTH);
              runs++;
            }
          p += n;
        }
      if (runs != 1)
        continue;
      if (g_hash_table_contains (self->photo_index, id))
        g_hash_table_replace (self->photo_index, g_strdup (id), g_strdup (""));
      else
        g_hash_table_insert (self->photo_index, g_strdup (id),
                             g_build_filename (self->photo_dir, name, NULL));
    }
}

/* Unterminated quotes */

/* Finds, in the raw bytes, the row whose quoted field never closes, as
 * CoCsv reads it: its first byte, its line, and the end of the line the
 * quote opens on. The bytes are UTF-8 or GBK/GB18030, in which '"', '\r'
 * and '\n' never occur inside a multi-byte character. */
static gboolean
find_unterminated (const char *text,
                   gsize       length,
                   gsize       start,
                   gsize      *row_start,
                   guint      *row_line,
                   gsize      *quote_line_end)
{
  char delim = ',';
  guint commas = 0, tabs = 0, line = 1;
  gboolean quoted = FALSE;
  gsize pos;

  for (gsize i = start; i < length; i++)
    {
      if (text[i] == '"')
        quoted = !quoted;
      else if (!quoted && (text[i] == '\n' || text[i] == '\r'))
        break;
      else if (!quoted && text[i] == ',')
        commas++;
      else if (!quoted && text[i] == '\t')
        tabs++;
    }
  if (tabs > commas)
    delim = '\t';

  pos = start;
  while (pos < length)
    {
      gsize this_row = pos;
      guint this_line = line;

      for (;;)
        {
          if (pos < length && text[pos] == '"')
            {
              gsize quote_pos = pos;

              pos++;
              for (;;)
                {
                  if (pos >= length)
                    {
                      gsize end = quote_pos;

                      while (end < length && text[end] != '\r' && text[end] != '\n')
                        end++;
                      *row_start = this_row;
                      *row_line = this_line;
                      *quote_line_end = end;
                      return TRUE;
                    }
                  if (text[pos] == '"')
                    {
                      if (pos + 1 < length && text[pos + 1] == '"')
                        {
                          pos += 2;
                          continue;
                        }
                      pos++;
                      break;
                    }
                  if (text[pos] == '\r' || text[pos] == '\n')
                    {
                      pos += (text[pos] == '\r' && pos + 1 < length && text[pos + 1] == '\n') ? 2 : 1;
                      line++;
                      continue;
                    }
                  pos++;
                }
            }
          while (pos < length && text[pos] != delim && text[pos] != '\r' && text[pos] != '\n')
            pos++;
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
    }
  return FALSE;
}

/* The first row whose field count is wrong and that runs over several
 * lines: a stray quote swallowed the line ends. 0 when there is none. */
static guint
find_stray_quote (CoCsv *csv)
{
  guint n_columns = co_csv_get_n_columns (csv);

  for (guint r = 0; r < co_csv_get_n_rows (csv); r++)
    {
      guint n = co_csv_get_row_n_fields (csv, r);

      if (n == n_columns)
        continue;
      for (guint c = 0; c < n; c++)
        if (strchr (co_csv_get_field (csv, r, c), '\n') != NULL)
          return co_csv_get_row_line (csv, r);
    }
  return 0;
}

/* The first field of a lost row when it is plain ASCII (an ID), for
 * messages; NULL otherwise. */
static char *
leading_id (const guint8 *p,
            gsize         length)
{
  gsize n = 0;
  g_autofree char *text = NULL;

  while (n < length && n < 32 && p[n] != ',' && p[n] != '\t' && p[n] != '\r' && p[n] != '\n')
    {
      if (p[n] < 0x20 || p[n] > 0x7e)
        return NULL;
      n++;
    }
  text = g_strndup ((const char *) p, n);
  return clean_value (text);
}

/* Removes the text of line @line (from 1), keeping its line end; returns
 * its leading ID. */
static char *
blank_line (GByteArray *data,
            gsize       start,
            guint       line)
{
  gsize pos = start, end;
  guint at = 1;
  char *id;

  while (at < line && pos < data->len)
    {
      if (data->data[pos] == '\n')
        at++;
      else if (data->data[pos] == '\r')
        {
          at++;
          if (pos + 1 < data->len && data->data[pos + 1] == '\n')
            pos++;
        }
      pos++;
    }

  end = pos;
  while (end < data->len && data->data[end] != '\r' && data->data[end] != '\n')
    end++;
  id = leading_id (data->data + pos, end - pos);
  g_byte_array_remove_range (data, pos, end - pos);
  return id;
}

static int
compare_uint (gconstpointer a,
              gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

/* Validation */

static void
validate_row (CoImport    *self,
              CoImportRow *row,
              GHashTable  *seen)
{
  guint n_columns = co_csv_get_n_columns (self->csv);
  guint n_fields;
  gboolean edu_id_ok = FALSE, grade_ok = FALSE, entry_ok = FALSE;
  const char *photo_path = NULL;
  g_autofree char *photo_owned = NULL;

  if (row->issues->len > 0)
    g_array_set_size (row->issues, 0);
  row->verdict = CO_IMPORT_VERDICT_OK;
  for (guint f = 0; f < CO_IMPORT_N_FIELDS; f++)
    g_clear_pointer (&row->values[f], g_free);
  g_clear_pointer (&row->photo_path, g_free);
  row->photo_width = row->photo_height = 0;
  row->reissued_in_stage = FALSE;

  if (row->csv_row < 0)
    {
      row->values[CO_IMPORT_FIELD_EDU_ID] =
        g_strdup (g_hash_table_lookup (self->lost_ids, GUINT_TO_POINTER (row->line)));
      add_issue (row, CO_IMPORT_PROBLEM_UNTERMINATED_QUOTE, CO_IMPORT_VERDICT_REFUSED);
      return;
    }

  for (guint f = 0; f < CO_IMPORT_N_FIELDS; f++)
    row->values[f] = clean_value (co_csv_get_field (self->csv, row->csv_row, self->columns[f]));
  if (row->edu_id_fix != NULL)
    {
      g_free (row->values[CO_IMPORT_FIELD_EDU_ID]);
      row->values[CO_IMPORT_FIELD_EDU_ID] = g_strdup (row->edu_id_fix);
    }
  if (self->edits != NULL)
    {
      char **edits = g_hash_table_lookup (self->edits, GINT_TO_POINTER (row->csv_row));

      for (guint f = 0; edits != NULL && f < CO_IMPORT_N_FIELDS; f++)
        if (edits[f] != NULL)
          {
            g_free (row->values[f]);
            row->values[f] = clean_value (edits[f]);
          }
    }

  n_fields = co_csv_get_row_n_fields (self->csv, row->csv_row);
  if (n_fields < n_columns)
    {
      /* The fields may have slid to the wrong columns: nothing more to say. */
      add_issue (row, CO_IMPORT_PROBLEM_SHORT_ROW, CO_IMPORT_VERDICT_REFUSED);
      return;
    }
  if (n_fields > n_columns)
    {
      gboolean extra = FALSE;

      /* Excel adds empty cells at a row's end: those are harmless. */
      for (guint c = n_columns; c < n_fields; c++)
        {
          g_autofree char *v = clean_value (co_csv_get_field (self->csv, row->csv_row, c));
          extra |= v != NULL;
        }
      if (extra)
        add_issue (row, CO_IMPORT_PROBLEM_LONG_ROW, CO_IMPORT_VERDICT_WARNING);
    }

  /* 教育ID */
  if (row->values[CO_IMPORT_FIELD_EDU_ID] == NULL)
    add_field_issue (row, CO_IMPORT_PROBLEM_MISSING_FIELD, CO_IMPORT_FIELD_EDU_ID);
  else
    {
      const char *id = row->values[CO_IMPORT_FIELD_EDU_ID];

      if (co_rules_check_edu_id (id) == CO_REASON_NONE)
        edu_id_ok = TRUE;
      else if (is_excel_exponent (id))
        add_issue (row, CO_IMPORT_PROBLEM_EDU_ID_EXCEL_EXPONENT, CO_IMPORT_VERDICT_REFUSED);
      else if (all_digits (id, CO_EDU_ID_LENGTH - 1))
        add_issue (row, CO_IMPORT_PROBLEM_EDU_ID_LEADING_ZERO_LOST,
                   CO_IMPORT_VERDICT_REFUSED)->suggestion = g_strconcat ("0", id, NULL);
      else
        add_issue (row, CO_IMPORT_PROBLEM_EDU_ID_FORMAT, CO_IMPORT_VERDICT_REFUSED);
    }

  if (row->values[CO_IMPORT_FIELD_NAME] == NULL)
    add_field_issue (row, CO_IMPORT_PROBLEM_MISSING_FIELD, CO_IMPORT_FIELD_NAME);

  if (row->values[CO_IMPORT_FIELD_GENDER] == NULL)
    add_field_issue (row, CO_IMPORT_PROBLEM_MISSING_FIELD, CO_IMPORT_FIELD_GENDER);
  else if (!parse_gender (row->values[CO_IMPORT_FIELD_GENDER], &row->gender))
    add_field_issue (row, CO_IMPORT_PROBLEM_GENDER_INVALID, CO_IMPORT_FIELD_GENDER);

  if (row->values[CO_IMPORT_FIELD_GRADE] == NULL)
    add_field_issue (row, CO_IMPORT_PROBLEM_MISSING_FIELD, CO_IMPORT_FIELD_GRADE);
  else if (!(grade_ok = parse_grade (row->values[CO_IMPORT_FIELD_GRADE], &row->grade)))
    add_field_issue (row, CO_IMPORT_PROBLEM_GRADE_INVALID, CO_IMPORT_FIELD_GRADE);

  if (row->values[CO_IMPORT_FIELD_CLASS] == NULL)
    add_field_issue (row, CO_IMPORT_PROBLEM_MISSING_FIELD, CO_IMPORT_FIELD_CLASS);

  if (row->values[CO_IMPORT_FIELD_ENTRY] == NULL)
    add_field_issue (row, CO_IMPORT_PROBLEM_MISSING_FIELD, CO_IMPORT_FIELD_ENTRY);
  else if (!(entry_ok = parse_entry (row->values[CO_IMPORT_FIELD_ENTRY], &row->entry)))
    add_field_issue (row, CO_IMPORT_PROBLEM_ENTRY_INVALID, CO_IMPORT_FIELD_ENTRY);

  if (self->kind == CO_IMPORT_KIND_STICKER && row->values[CO_IMPORT_FIELD_REISSUED] != NULL &&
      !parse_yes_no (row->values[CO_IMPORT_FIELD_REISSUED], &row->reissued_in_stage))
    add_field_issue (row, CO_IMPORT_PROBLEM_REISSUED_INVALID, CO_IMPORT_FIELD_REISSUED);

  if (grade_ok && entry_ok)
    {
      CoReason reason = self->kind == CO_IMPORT_KIND_NEW_CARD
        ? co_rules_check_new_card (row->grade, row->entry)
        : co_rules_check_sticker (row->grade, row->entry, row->reissued_in_stage);

      if (reason != CO_REASON_NONE)
        add_issue (row, CO_IMPORT_PROBLEM_INELIGIBLE, CO_IMPORT_VERDICT_REFUSED)->reason = reason;
    }

  if (edu_id_ok)
    {
      gpointer first = g_hash_table_lookup (seen, row->values[CO_IMPORT_FIELD_EDU_ID]);

      if (first != NULL)
        add_issue (row, CO_IMPORT_PROBLEM_DUPLICATE_ROW,
                   CO_IMPORT_VERDICT_REFUSED)->other_line = GPOINTER_TO_UINT (first);
      else
        g_hash_table_insert (seen, row->values[CO_IMPORT_FIELD_EDU_ID], GUINT_TO_POINTER (row->line));
    }

  /* 照片: named in the row, else found by the education ID. */
  if (row->values[CO_IMPORT_FIELD_PHOTO] != NULL)
    {
      const char *name = row->values[CO_IMPORT_FIELD_PHOTO];

      if (g_path_is_absolute (name))
        photo_path = name;
      else
        photo_path = photo_owned = g_build_filename (self->photo_dir ? self->photo_dir : self->csv_dir,
                                                     name, NULL);
      if (!g_file_test (photo_path, G_FILE_TEST_EXISTS))
        {
          add_issue (row, CO_IMPORT_PROBLEM_PHOTO_MISSING, CO_IMPORT_VERDICT_REFUSED);
          photo_path = NULL;
        }
    }
  else if (self->photo_dir != NULL && edu_id_ok)
    {
      photo_path = g_hash_table_lookup (self->photo_index, row->values[CO_IMPORT_FIELD_EDU_ID]);
      if (photo_path == NULL)
        add_issue (row, CO_IMPORT_PROBLEM_PHOTO_MISSING, CO_IMPORT_VERDICT_REFUSED);
      else if (*photo_path == '\0')
        {
          add_issue (row, CO_IMPORT_PROBLEM_PHOTO_BAD,
                     CO_IMPORT_VERDICT_REFUSED)->photo = CO_IMPORT_PHOTO_AMBIGUOUS;
          photo_path = NULL;
        }
    }
  else if (self->columns[CO_IMPORT_FIELD_PHOTO] >= 0)
    add_issue (row, CO_IMPORT_PROBLEM_PHOTO_MISSING, CO_IMPORT_VERDICT_REFUSED);

  if (photo_path != NULL)
    {
      CoImportPhotoProblem problem = check_photo (self, row, photo_path);

      if (problem == CO_IMPORT_PHOTO_OK)
        row->photo_path = g_strdup (photo_path);
      else
        add_issue (row, CO_IMPORT_PROBLEM_PHOTO_BAD, CO_IMPORT_VERDICT_REFUSED)->photo = problem;
    }
}

static void
build_rows (CoImport *self)
{
  guint n = co_csv_get_n_rows (self->csv);
  guint lost = 0;

  g_ptr_array_set_size (self->rows, 0);
  for (guint i = 0; i <= n; i++)
    {
      guint line = i < n ? co_csv_get_row_line (self->csv, i) : G_MAXUINT;

      /* Rows lost to an unterminated quote take their place by line. */
      while (lost < self->lost_lines->len && g_array_index (self->lost_lines, guint, lost) < line)
        {
          CoImportRow *row = g_new0 (CoImportRow, 1);

          row->line = g_array_index (self->lost_lines, guint, lost++);
          row->csv_row = -1;
          row->issues = g_array_new (FALSE, TRUE, sizeof (CoImportIssue));
          g_array_set_clear_func (row->issues, (GDestroyNotify) issue_clear);
          g_ptr_array_add (self->rows, row);
        }
      if (i < n)
        {
          CoImportRow *row = g_new0 (CoImportRow, 1);

          row->line = line;
          row->csv_row = (int) i;
          row->issues = g_array_new (FALSE, TRUE, sizeof (CoImportIssue));
          g_array_set_clear_func (row->issues, (GDestroyNotify) issue_clear);
          g_ptr_array_add (self->rows, row);
        }
    }
}

/* GObject */

static void
co_import_finalize (GObject *object)
{
  CoImport *self = (CoImport *) object;

  g_clear_object (&self->csv);
  g_clear_pointer (&self->csv_dir, g_free);
  g_clear_pointer (&self->photo_dir, g_free);
  g_clear_pointer (&self->lost_lines, g_array_unref);
  g_clear_pointer (&self->lost_ids, g_hash_table_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->photo_index, g_hash_table_unref);
  g_clear_pointer (&self->edits, g_hash_table_unref);

  G_OBJECT_CLASS (co_import_parent_class)->finalize (object);
}

static void
co_import_class_init (CoImportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = co_import_finalize;
}

static void
co_import_init (CoImport *self)
{
  self->min_width = CO_IMPORT_PHOTO_MIN_WIDTH;
  self->min_height = CO_IMPORT_PHOTO_MIN_HEIGHT;
  self->lost_lines = g_array_new (FALSE, FALSE, sizeof (guint));
  self->lost_ids = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  for (guint f = 0; f < CO_IMPORT_N_FIELDS; f++)
    self->columns[f] = -1;
}

/* Public API */

CoImport *
co_import_new (CoImportKind kind)
{
  CoImport *self = g_object_new (CO_TYPE_IMPORT, NULL);

  self->kind = kind;
  return self;
}

/**
 * co_import_load_bytes:
 * @self: an import
 * @bytes: the file's content
 * @error: a %CO_CSV_ERROR when the file as a whole cannot be read
 *   (binary, not text, empty, or a quote opened in the header)
 *
 * Reads the table, finds the columns and validates every row.
 *
 * Returns: %TRUE when the file was read
 */
gboolean
co_import_load_bytes (CoImport  *self,
                      GBytes    *bytes,
                      GError   **error)
{
  g_autoptr(GByteArray) data = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize start = 0;

  g_return_val_if_fail (CO_IS_IMPORT (self), FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_clear_object (&self->csv);
  g_array_set_size (self->lost_lines, 0);
  g_hash_table_remove_all (self->lost_ids);
  data = g_byte_array_new ();
  g_byte_array_append (data, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (data->len >= 3 && memcmp (data->data, "\357\273\277", 3) == 0)
    start = 3;

  for (;;)
    {
      g_autoptr(GBytes) attempt = g_bytes_new_static (data->data, data->len);
      gsize row_start, quote_line_end;
      guint row_line;
      gboolean utf16;

      g_clear_error (&local_error);
      self->csv = co_csv_new_from_bytes (attempt, &local_error);
      if (self->csv != NULL)
        {
          guint stray = find_stray_quote (self->csv);

          if (stray == 0)
            break;
          /* A quote that closed lines later, inside another row: the rows
           * in between were swallowed. Drop the line it opened on. */
          g_clear_object (&self->csv);
          g_hash_table_insert (self->lost_ids, GUINT_TO_POINTER (stray), blank_line (data, start, stray));
          g_array_append_val (self->lost_lines, stray);
          continue;
        }

      utf16 = data->len >= 2 && (data->data[0] == 0xff || data->data[0] == 0xfe);
      if (!g_error_matches (local_error, CO_CSV_ERROR, CO_CSV_ERROR_UNTERMINATED_QUOTE) || utf16 ||
          !find_unterminated ((const char *) data->data, data->len, start,
                              &row_start, &row_line, &quote_line_end) ||
          row_start == start)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      /* Blank the row up to the end of the quote's line, keeping line ends
       * so later rows keep their line numbers; parse again. */
      g_hash_table_insert (self->lost_ids, GUINT_TO_POINTER (row_line),
                           leading_id (data->data + row_start, quote_line_end - row_start));
      {
        gsize out = row_start;

        for (gsize i = row_start; i < quote_line_end; i++)
          if (data->data[i] == '\r' || data->data[i] == '\n')
            data->data[out++] = data->data[i];
        g_byte_array_remove_range (data, out, quote_line_end - out);
      }
      g_array_append_val (self->lost_lines, row_line);
    }
  g_array_sort (self->lost_lines, compare_uint);

  for (guint f = 0; f < CO_IMPORT_N_FIELDS; f++)
    self->columns[f] = co_csv_find_column (self->csv, field_names[f]);

  g_clear_pointer (&self->edits, g_hash_table_unref);
  build_rows (self);
  co_import_validate (self);
  return TRUE;
}

gboolean
co_import_load_file (CoImport    *self,
                     const char  *path,
                     GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_return_val_if_fail (CO_IS_IMPORT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, CO_CSV_ERROR, CO_CSV_ERROR_READ, "%s", local_error->message);
      return FALSE;
    }
  bytes = g_bytes_new_take (contents, length);
  g_free (self->csv_dir);
  self->csv_dir = g_path_get_dirname (path);
  return co_import_load_bytes (self, bytes, error);
}

void
co_import_set_photo_dir (CoImport   *self,
                         const char *dir)
{
  g_return_if_fail (CO_IS_IMPORT (self));

  g_free (self->photo_dir);
  self->photo_dir = g_strdup (dir);
  g_clear_pointer (&self->photo_index, g_hash_table_unref);
}

/* For tests and special cards; the default is CO_IMPORT_PHOTO_MIN_*. */
void
co_import_set_photo_min_size (CoImport *self,
                              int       width,
                              int       height)
{
  g_return_if_fail (CO_IS_IMPORT (self));
  self->min_width = width;
  self->min_height = height;
}

guint
co_import_get_n_columns (CoImport *self)
{
  g_return_val_if_fail (CO_IS_IMPORT (self), 0);
  return self->csv ? co_csv_get_n_columns (self->csv) : 0;
}

const char *
co_import_get_header (CoImport *self,
                      guint     column)
{
  g_return_val_if_fail (CO_IS_IMPORT (self), NULL);
  g_return_val_if_fail (column < co_import_get_n_columns (self), NULL);
  return co_csv_get_header (self->csv, column);
}

int
co_import_get_column (CoImport      *self,
                      CoImportField  field)
{
  g_return_val_if_fail (CO_IS_IMPORT (self), -1);
  g_return_val_if_fail (field < CO_IMPORT_N_FIELDS, -1);
  return self->columns[field];
}

/* Sets the column of @field (-1: none). Call co_import_validate() after. */
void
co_import_set_column (CoImport      *self,
                      CoImportField  field,
                      int            column)
{
  g_return_if_fail (CO_IS_IMPORT (self));
  g_return_if_fail (field < CO_IMPORT_N_FIELDS);
  g_return_if_fail (column >= -1 && column < (int) co_import_get_n_columns (self));
  self->columns[field] = column;
}

gboolean
co_import_field_is_required (CoImportField field)
{
  return field != CO_IMPORT_FIELD_PHOTO && field != CO_IMPORT_FIELD_REISSUED;
}

guint
co_import_get_missing_fields (CoImport      *self,
                              CoImportField *out)
{
  guint n = 0;

  g_return_val_if_fail (CO_IS_IMPORT (self), 0);
  for (guint f = 0; f < CO_IMPORT_N_FIELDS; f++)
    if (co_import_field_is_required (f) && self->columns[f] < 0)
      {
        if (out != NULL)
          out[n] = f;
        n++;
      }
  return n;
}

/* Stable names for logs and key=value output. */
const char *
co_import_field_to_string (CoImportField field)
{
  g_return_val_if_fail (field < CO_IMPORT_N_FIELDS, "unknown");
  return field_wire[field];
}

const char *
co_import_problem_to_string (CoImportProblem problem)
{
  switch (problem)
    {
    case CO_IMPORT_PROBLEM_NONE: return "none";
    case CO_IMPORT_PROBLEM_EDU_ID_FORMAT: return "edu_id_format";
    case CO_IMPORT_PROBLEM_EDU_ID_EXCEL_EXPONENT: return "edu_id_excel_exponent";
    case CO_IMPORT_PROBLEM_EDU_ID_LEADING_ZERO_LOST: return "edu_id_leading_zero_lost";
    case CO_IMPORT_PROBLEM_MISSING_FIELD: return "missing_field";
    case CO_IMPORT_PROBLEM_GENDER_INVALID: return "gender_invalid";
    case CO_IMPORT_PROBLEM_GRADE_INVALID: return "grade_invalid";
    case CO_IMPORT_PROBLEM_ENTRY_INVALID: return "entry_invalid";
    case CO_IMPORT_PROBLEM_REISSUED_INVALID: return "reissued_invalid";
    case CO_IMPORT_PROBLEM_DUPLICATE_ROW: return "duplicate_row";
    case CO_IMPORT_PROBLEM_UNKNOWN_STUDENT: return "unknown_student";
    case CO_IMPORT_PROBLEM_NAME_MISMATCH: return "name_mismatch";
    case CO_IMPORT_PROBLEM_PHOTO_MISSING: return "photo_missing";
    case CO_IMPORT_PROBLEM_PHOTO_BAD: return "photo_bad";
    case CO_IMPORT_PROBLEM_SHORT_ROW: return "short_row";
    case CO_IMPORT_PROBLEM_LONG_ROW: return "long_row";
    case CO_IMPORT_PROBLEM_UNTERMINATED_QUOTE: return "unterminated_quote";
    case CO_IMPORT_PROBLEM_INELIGIBLE: return "ineligible";
    default: return "unknown";
    }
}

const char *
co_import_photo_problem_to_string (CoImportPhotoProblem problem)
{
  switch (problem)
    {
    case CO_IMPORT_PHOTO_OK: return "ok";
    case CO_IMPORT_PHOTO_UNREADABLE: return "unreadable";
    case CO_IMPORT_PHOTO_NOT_JPEG_OR_PNG: return "not_jpeg_or_png";
    case CO_IMPORT_PHOTO_CORRUPT: return "corrupt";
    case CO_IMPORT_PHOTO_UNSUPPORTED: return "unsupported";
    case CO_IMPORT_PHOTO_TOO_LARGE: return "too_large";
    case CO_IMPORT_PHOTO_TOO_SMALL: return "too_small";
    case CO_IMPORT_PHOTO_ASPECT: return "aspect";
    case CO_IMPORT_PHOTO_AMBIGUOUS: return "ambiguous";
    default: return "unknown";
    }
}

const char *
co_import_get_encoding_name (CoImport *self)
{
  g_return_val_if_fail (CO_IS_IMPORT (self), NULL);
  return self->csv ? co_csv_encoding_to_string (co_csv_get_encoding (self->csv)) : NULL;
}

void
co_import_validate (CoImport *self)
{
  g_autoptr(GHashTable) seen = NULL;

  g_return_if_fail (CO_IS_IMPORT (self));
  if (self->csv == NULL)
    return;

  if (self->photo_dir != NULL && self->photo_index == NULL)
    build_photo_index (self);
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < self->rows->len; i++)
    validate_row (self, g_ptr_array_index (self->rows, i), seen);
}

/**
 * co_import_check_roster:
 * @self: a validated import
 * @func: answers what the roster knows of an education ID
 * @user_data: for @func
 *
 * Rows with a valid education ID the roster does not know are refused as
 * %CO_IMPORT_PROBLEM_UNKNOWN_STUDENT; a different name is a warning; for
 * 卡贴, a reissue in this stage makes the row ineligible.
 */
void
co_import_check_roster (CoImport           *self,
                        CoImportRosterFunc  func,
                        gpointer            user_data)
{
  g_return_if_fail (CO_IS_IMPORT (self));
  g_return_if_fail (func != NULL);

  for (guint i = 0; i < self->rows->len; i++)
    {
      CoImportRow *row = g_ptr_array_index (self->rows, i);
      const char *edu_id = row->values[CO_IMPORT_FIELD_EDU_ID];
      g_autofree char *name = NULL;
      gboolean reissued = FALSE;
      gboolean eligible_before = TRUE;

      if (row->csv_row < 0 || edu_id == NULL || co_rules_check_edu_id (edu_id) != CO_REASON_NONE)
        continue;
      if (!func (edu_id, &name, &reissued, user_data))
        {
          add_issue (row, CO_IMPORT_PROBLEM_UNKNOWN_STUDENT, CO_IMPORT_VERDICT_REFUSED);
          continue;
        }
      if (name != NULL && row->values[CO_IMPORT_FIELD_NAME] != NULL &&
          !g_str_equal (name, row->values[CO_IMPORT_FIELD_NAME]))
        add_issue (row, CO_IMPORT_PROBLEM_NAME_MISMATCH,
                   CO_IMPORT_VERDICT_WARNING)->suggestion = g_steal_pointer (&name);

      for (guint k = 0; k < row->issues->len; k++)
        if (g_array_index (row->issues, CoImportIssue, k).problem == CO_IMPORT_PROBLEM_INELIGIBLE ||
            g_array_index (row->issues, CoImportIssue, k).field == CO_IMPORT_FIELD_GRADE ||
            g_array_index (row->issues, CoImportIssue, k).field == CO_IMPORT_FIELD_ENTRY)
          eligible_before = FALSE;
      if (self->kind == CO_IMPORT_KIND_STICKER && reissued && !row->reissued_in_stage && eligible_before)
        {
          CoReason reason = co_rules_check_sticker (row->grade, row->entry, TRUE);

          row->reissued_in_stage = TRUE;
          if (reason != CO_REASON_NONE)
            add_issue (row, CO_IMPORT_PROBLEM_INELIGIBLE, CO_IMPORT_VERDICT_REFUSED)->reason = reason;
        }
    }
}

/* Accepts the proposed ID of a row refused for a lost leading zero, and
 * validates again. Returns FALSE when the row proposes nothing. */
gboolean
co_import_accept_fix (CoImport *self,
                      guint     row_index)
{
  CoImportRow *row;
  g_autofree char *fixed = NULL;

  g_return_val_if_fail (CO_IS_IMPORT (self), FALSE);
  g_return_val_if_fail (row_index < self->rows->len, FALSE);

  row = g_ptr_array_index (self->rows, row_index);
  for (guint k = 0; k < row->issues->len; k++)
    {
      CoImportIssue *issue = &g_array_index (row->issues, CoImportIssue, k);

      if (issue->problem == CO_IMPORT_PROBLEM_EDU_ID_LEADING_ZERO_LOST)
        fixed = g_strdup (issue->suggestion);
    }
  if (fixed == NULL || row->csv_row < 0)
    return FALSE;

  /* Kept by the row, so validating again keeps it. */
  g_free (row->edu_id_fix);
  row->edu_id_fix = g_steal_pointer (&fixed);
  if (self->edits != NULL)
    {
      char **edits = g_hash_table_lookup (self->edits, GINT_TO_POINTER (row->csv_row));

      if (edits != NULL)
        g_clear_pointer (&edits[CO_IMPORT_FIELD_EDU_ID], g_free);
    }
  co_import_validate (self);
  return TRUE;
}

static void
edits_free (gpointer data)
{
  char **edits = data;

  for (guint f = 0; f < CO_IMPORT_N_FIELDS; f++)
    g_free (edits[f]);
  g_free (edits);
}

/**
 * co_import_set_value:
 * @self: an import
 * @row_index: the row
 * @field: the field to correct
 * @value: (nullable): what to use instead of the file's value
 *
 * Corrects a value of a row (typed in the app) and validates again. The
 * correction is kept for this row until the file is loaded again; %NULL
 * goes back to the file's value. Returns FALSE for a row that could not
 * be read (an unterminated quote).
 */
gboolean
co_import_set_value (CoImport      *self,
                     guint          row_index,
                     CoImportField  field,
                     const char    *value)
{
  CoImportRow *row;
  char **edits;

  g_return_val_if_fail (CO_IS_IMPORT (self), FALSE);
  g_return_val_if_fail (row_index < self->rows->len, FALSE);
  g_return_val_if_fail (field < CO_IMPORT_N_FIELDS, FALSE);

  row = g_ptr_array_index (self->rows, row_index);
  if (row->csv_row < 0)
    return FALSE;

  if (self->edits == NULL)
    self->edits = g_hash_table_new_full (NULL, NULL, NULL, edits_free);
  if (!(edits = g_hash_table_lookup (self->edits, GINT_TO_POINTER (row->csv_row))))
    {
      edits = g_new0 (char *, CO_IMPORT_N_FIELDS);
      g_hash_table_insert (self->edits, GINT_TO_POINTER (row->csv_row), edits);
    }
  g_free (edits[field]);
  edits[field] = g_strdup (value);
  /* A typed education ID replaces an accepted fix. */
  if (field == CO_IMPORT_FIELD_EDU_ID)
    g_clear_pointer (&row->edu_id_fix, g_free);
  co_import_validate (self);
  return TRUE;
}

guint
co_import_get_n_rows (CoImport *self)
{
  g_return_val_if_fail (CO_IS_IMPORT (self), 0);
  return self->rows->len;
}

const CoImportRow *
co_import_get_row (CoImport *self,
                   guint     row)
{
  g_return_val_if_fail (CO_IS_IMPORT (self), NULL);
  g_return_val_if_fail (row < self->rows->len, NULL);
  return g_ptr_array_index (self->rows, row);
}

guint
co_import_count (CoImport        *self,
                 CoImportVerdict  verdict)
{
  guint n = 0;

  g_return_val_if_fail (CO_IS_IMPORT (self), 0);
  for (guint i = 0; i < self->rows->len; i++)
    n += ((CoImportRow *) g_ptr_array_index (self->rows, i))->verdict == verdict;
  return n;
}

void
co_import_photo_crop (int  width,
                      int  height,
                      int *x,
                      int *y,
                      int *crop_width,
                      int *crop_height)
{
  int w = width, h = height;

  g_return_if_fail (width > 0 && height > 0);

  /* Keep the full height when the photo is wider than 13:16, else the
   * full width; centred either way. */
  if ((gint64) width * CO_IMPORT_PHOTO_HEIGHT_MM > (gint64) height * CO_IMPORT_PHOTO_WIDTH_MM)
    w = (int) ((gint64) height * CO_IMPORT_PHOTO_WIDTH_MM / CO_IMPORT_PHOTO_HEIGHT_MM);
  else
    h = (int) ((gint64) width * CO_IMPORT_PHOTO_HEIGHT_MM / CO_IMPORT_PHOTO_WIDTH_MM);
  *x = (width - w) / 2;
  *y = (height - h) / 2;
  *crop_width = w;
  *crop_height = h;
}

CoImportKind
co_import_get_kind (CoImport *self)
{
  g_return_val_if_fail (CO_IS_IMPORT (self), CO_IMPORT_KIND_NEW_CARD);

  return self->kind;
}
