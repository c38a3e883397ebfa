/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "co-template"

#include "config.h"

#include <math.h>
#include <string.h>

#include "co-data.h"
#include "co-print-types.h"
#include "co-template.h"

/* Rounding slack when checking that things fit, in mm. */
#define EPS 0.001

struct _CoTemplate
{
  GObject         parent_instance;

  char           *name;
  char           *description;
  double          page_width;
  double          page_height;
  double          label_width;
  double          label_height;
  guint           columns;
  guint           rows;
  double          margin_left;
  double          margin_top;
  double          gap_x;
  double          gap_y;
  double          corner_radius;

  gboolean        has_photo;
  CoRectMm        photo_box;
  double          photo_radius;
  double          photo_frame;

  gboolean        has_qr;
  CoRectMm        qr_box;
  guint           qr_quiet_zone;
  int             qr_ec_level;

  CoTemplateText  texts[CO_N_STICKER_FIELDS];
  GArray         *lines;
};

G_DEFINE_FINAL_TYPE (CoTemplate, co_template, G_TYPE_OBJECT)

static const char * const field_groups[CO_N_STICKER_FIELDS] = {
  "school", "name", "gender", "stage", "validity", "edu-id", "card-no", "bjt-no", "class",
};

/* Parsing: every reader names the file, group and key in its error. */

typedef struct
{
  GKeyFile   *keyfile;
  const char *source;
} Parser;

static gboolean G_GNUC_PRINTF (4, 5)
fail (const Parser *p,
      GError      **error,
      const char   *group,
      const char   *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, CO_PRINT_ERROR, CO_PRINT_ERROR_TEMPLATE_INVALID,
               "%s: [%s]: %s", p->source, group, message);
  return FALSE;
}

static gboolean
check_keys (const Parser      *p,
            const char        *group,
            const char * const *allowed,
            GError           **error)
{
  g_auto(GStrv) keys = g_key_file_get_keys (p->keyfile, group, NULL, NULL);

  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    if (!g_strv_contains (allowed, keys[i]))
      return fail (p, error, group, "unknown key “%s”", keys[i]);
  return TRUE;
}

static gboolean
read_double (const Parser *p,
             const char   *group,
             const char   *key,
             gboolean      required,
             double        fallback,
             double        min,
             double        max,
             double       *out,
             GError      **error)
{
  g_autofree char *text = NULL;
  char *end = NULL;
  double value;

  text = g_key_file_get_value (p->keyfile, group, key, NULL);
  if (text == NULL)
    {
      if (required)
        return fail (p, error, group, "missing key “%s”", key);
      *out = fallback;
      return TRUE;
    }
  g_strstrip (text);
  value = g_ascii_strtod (text, &end);
  if (*text == '\0' || end == NULL || *end != '\0' || !isfinite (value))
    return fail (p, error, group, "key “%s”: “%s” is not a number", key, text);
  if (value < min || value > max)
    return fail (p, error, group, "key “%s”: %g is outside %g…%g", key, value, min, max);
  *out = value;
  return TRUE;
}

static gboolean
read_uint (const Parser *p,
           const char   *group,
           const char   *key,
           gboolean      required,
           guint         fallback,
           guint         min,
           guint         max,
           guint        *out,
           GError      **error)
{
  g_autofree char *text = NULL;
  guint64 value;

  text = g_key_file_get_value (p->keyfile, group, key, NULL);
  if (text == NULL)
    {
      if (required)
        return fail (p, error, group, "missing key “%s”", key);
      *out = fallback;
      return TRUE;
    }
  g_strstrip (text);
  if (!g_ascii_string_to_unsigned (text, 10, min, max, &value, NULL))
    return fail (p, error, group, "key “%s”: “%s” is not a whole number in %u…%u",
                 key, text, min, max);
  *out = (guint) value;
  return TRUE;
}

static gboolean
read_bool (const Parser *p,
           const char   *group,
           const char   *key,
           gboolean     *out,
           GError      **error)
{
  g_autofree char *text = g_key_file_get_value (p->keyfile, group, key, NULL);

  if (text == NULL)
    {
      *out = FALSE;
      return TRUE;
    }
  g_strstrip (text);
  if (g_str_equal (text, "true"))
    *out = TRUE;
  else if (g_str_equal (text, "false"))
    *out = FALSE;
  else
    return fail (p, error, group, "key “%s”: “%s” is neither true nor false", key, text);
  return TRUE;
}

static gboolean
read_color (const Parser *p,
            const char   *group,
            const char   *key,
            guint32       fallback,
            guint32      *out,
            GError      **error)
{
  g_autofree char *text = g_key_file_get_value (p->keyfile, group, key, NULL);
  guint64 value;

  if (text == NULL)
    {
      *out = fallback;
      return TRUE;
    }
  g_strstrip (text);
  if (text[0] != '#' || strlen (text) != 7 ||
      !g_ascii_string_to_unsigned (text + 1, 16, 0, 0xffffff, &value, NULL))
    return fail (p, error, group, "key “%s”: “%s” is not a colour like #1f5fa8", key, text);
  *out = (guint32) value;
  return TRUE;
}

static gboolean
read_align (const Parser    *p,
            const char      *group,
            const char      *key,
            CoTemplateAlign *out,
            GError         **error)
{
  g_autofree char *text = g_key_file_get_value (p->keyfile, group, key, NULL);

  if (text == NULL)
    {
      *out = CO_TEMPLATE_ALIGN_LEFT;
      return TRUE;
    }
  g_strstrip (text);
  if (g_str_equal (text, "left"))
    *out = CO_TEMPLATE_ALIGN_LEFT;
  else if (g_str_equal (text, "center"))
    *out = CO_TEMPLATE_ALIGN_CENTER;
  else if (g_str_equal (text, "right"))
    *out = CO_TEMPLATE_ALIGN_RIGHT;
  else
    return fail (p, error, group, "key “%s”: “%s” is not left, center or right", key, text);
  return TRUE;
}

static gboolean
read_numbers (const Parser *p,
              const char   *group,
              const char   *key,
              guint         count,
              double       *out,
              GError      **error)
{
  g_autofree char *text = g_key_file_get_value (p->keyfile, group, key, NULL);
  g_auto(GStrv) parts = NULL;

  if (text == NULL)
    return fail (p, error, group, "missing key “%s”", key);
  parts = g_strsplit (text, ";", -1);
  /* A trailing ';' is GKeyFile's list style: accept it. */
  if (g_strv_length (parts) == count + 1 && *g_strstrip (parts[count]) == '\0')
    g_clear_pointer (&parts[count], g_free);
  if (g_strv_length (parts) != count)
    return fail (p, error, group, "key “%s”: expected %u numbers separated by ';', got “%s”",
                 key, count, text);
  for (guint i = 0; i < count; i++)
    {
      char *end = NULL;

      g_strstrip (parts[i]);
      out[i] = g_ascii_strtod (parts[i], &end);
      if (parts[i][0] == '\0' || *end != '\0' || !isfinite (out[i]))
        return fail (p, error, group, "key “%s”: “%s” is not a number", key, parts[i]);
    }
  return TRUE;
}

static gboolean
read_box (const Parser *p,
          CoTemplate   *self,
          const char   *group,
          const char   *key,
          CoRectMm     *box,
          GError      **error)
{
  double v[4];

  if (!read_numbers (p, group, key, 4, v, error))
    return FALSE;
  box->x = v[0];
  box->y = v[1];
  box->width = v[2];
  box->height = v[3];
  if (box->width <= 0 || box->height <= 0)
    return fail (p, error, group, "key “%s”: width and height must be positive", key);
  if (box->x < -EPS || box->y < -EPS ||
      box->x + box->width > self->label_width + EPS ||
      box->y + box->height > self->label_height + EPS)
    return fail (p, error, group, "key “%s”: the box %g;%g;%g;%g does not fit in the %g × %g mm label",
                 key, box->x, box->y, box->width, box->height,
                 self->label_width, self->label_height);
  return TRUE;
}

static gboolean
parse_sheet (const Parser *p,
             CoTemplate   *self,
             GError      **error)
{
  static const char * const keys[] = {
    "name", "description", "page-width", "page-height", "label-width", "label-height",
    "columns", "rows", "margin-left", "margin-top", "gap-x", "gap-y", "corner-radius", NULL
  };
  const char *g = "template";
  double used_w, used_h;

  if (!g_key_file_has_group (p->keyfile, g))
    return fail (p, error, g, "missing group");
  if (!check_keys (p, g, keys, error))
    return FALSE;

  self->name = g_key_file_get_string (p->keyfile, g, "name", NULL);
  self->description = g_key_file_get_locale_string (p->keyfile, g, "description", NULL, NULL);
  if (self->name == NULL || *g_strstrip (self->name) == '\0')
    return fail (p, error, g, "missing key “name”");

  if (!read_double (p, g, "page-width", TRUE, 0, 10, 2000, &self->page_width, error) ||
      !read_double (p, g, "page-height", TRUE, 0, 10, 2000, &self->page_height, error) ||
      !read_double (p, g, "label-width", TRUE, 0, 5, 2000, &self->label_width, error) ||
      !read_double (p, g, "label-height", TRUE, 0, 5, 2000, &self->label_height, error) ||
      !read_uint (p, g, "columns", TRUE, 1, 1, 100, &self->columns, error) ||
      !read_uint (p, g, "rows", TRUE, 1, 1, 100, &self->rows, error) ||
      !read_double (p, g, "margin-left", TRUE, 0, 0, 2000, &self->margin_left, error) ||
      !read_double (p, g, "margin-top", TRUE, 0, 0, 2000, &self->margin_top, error) ||
      !read_double (p, g, "gap-x", FALSE, 0, 0, 2000, &self->gap_x, error) ||
      !read_double (p, g, "gap-y", FALSE, 0, 0, 2000, &self->gap_y, error) ||
      !read_double (p, g, "corner-radius", FALSE, 0, 0, 100, &self->corner_radius, error))
    return FALSE;

  used_w = self->margin_left + self->columns * self->label_width + (self->columns - 1) * self->gap_x;
  used_h = self->margin_top + self->rows * self->label_height + (self->rows - 1) * self->gap_y;
  if (used_w > self->page_width + EPS)
    return fail (p, error, g, "key “columns”: %u labels with their margin and gaps need %g mm, the page is %g mm wide",
                 self->columns, used_w, self->page_width);
  if (used_h > self->page_height + EPS)
    return fail (p, error, g, "key “rows”: %u labels with their margin and gaps need %g mm, the page is %g mm high",
                 self->rows, used_h, self->page_height);
  if (self->corner_radius * 2 > MIN (self->label_width, self->label_height))
    return fail (p, error, g, "key “corner-radius”: %g mm is too large for the label", self->corner_radius);
  return TRUE;
}

static gboolean
parse_photo (const Parser *p,
             CoTemplate   *self,
             GError      **error)
{
  static const char * const keys[] = { "box", "corner-radius", "frame-width", NULL };
  const char *g = "photo";

  if (!g_key_file_has_group (p->keyfile, g))
    return TRUE;
  self->has_photo = TRUE;
  return check_keys (p, g, keys, error) &&
         read_box (p, self, g, "box", &self->photo_box, error) &&
         read_double (p, g, "corner-radius", FALSE, 0, 0, 50, &self->photo_radius, error) &&
         read_double (p, g, "frame-width", FALSE, 0, 0, 5, &self->photo_frame, error);
}

static gboolean
parse_qr (const Parser *p,
          CoTemplate   *self,
          GError      **error)
{
  static const char * const keys[] = { "box", "quiet-zone", "ec-level", NULL };
  static const char * const levels[] = { "L", "M", "Q", "H", NULL };
  g_autofree char *level = NULL;
  const char *g = "qr";

  if (!g_key_file_has_group (p->keyfile, g))
    return TRUE;
  self->has_qr = TRUE;
  if (!check_keys (p, g, keys, error) ||
      !read_box (p, self, g, "box", &self->qr_box, error) ||
      !read_uint (p, g, "quiet-zone", FALSE, 4, 0, 10, &self->qr_quiet_zone, error))
    return FALSE;

  self->qr_ec_level = 1;
  level = g_key_file_get_value (p->keyfile, g, "ec-level", NULL);
  if (level != NULL)
    {
      guint i;

      g_strstrip (level);
      for (i = 0; levels[i] != NULL && !g_str_equal (levels[i], level); i++)
        ;
      if (levels[i] == NULL)
        return fail (p, error, g, "key “ec-level”: “%s” is not L, M, Q or H", level);
      self->qr_ec_level = (int) i;
    }
  return TRUE;
}

static gboolean
parse_text (const Parser   *p,
            CoTemplate     *self,
            const char     *g,
            CoTemplateText *text,
            GError        **error)
{
  static const char * const keys[] = {
    "box", "font-size", "min-font-size", "bold", "monospace", "align", "valign",
    "digit-groups", "color", "caption-box", "caption-size", "caption-align",
    "caption-color", NULL
  };
  g_autofree char *valign = NULL;

  text->present = TRUE;
  if (!check_keys (p, g, keys, error) ||
      !read_box (p, self, g, "box", &text->box, error) ||
      !read_double (p, g, "font-size", TRUE, 0, 2, 200, &text->font_size, error) ||
      !read_double (p, g, "min-font-size", FALSE, MIN (4.0, text->font_size), 1,
                    text->font_size, &text->min_font_size, error) ||
      !read_bool (p, g, "bold", &text->bold, error) ||
      !read_bool (p, g, "monospace", &text->monospace, error) ||
      !read_align (p, g, "align", &text->align, error) ||
      !read_uint (p, g, "digit-groups", FALSE, 0, 0, 20, &text->digit_groups, error) ||
      !read_color (p, g, "color", 0x000000, &text->color, error))
    return FALSE;

  valign = g_key_file_get_value (p->keyfile, g, "valign", NULL);
  if (valign != NULL)
    {
      g_strstrip (valign);
      if (g_str_equal (valign, "baseline"))
        text->baseline = TRUE;
      else if (!g_str_equal (valign, "center"))
        return fail (p, error, g, "key “valign”: “%s” is neither center nor baseline", valign);
    }

  text->has_caption = g_key_file_has_key (p->keyfile, g, "caption-box", NULL);
  if (text->has_caption)
    {
      if (!read_box (p, self, g, "caption-box", &text->caption_box, error) ||
          !read_double (p, g, "caption-size", TRUE, 0, 2, 200, &text->caption_size, error) ||
          !read_align (p, g, "caption-align", &text->caption_align, error) ||
          !read_color (p, g, "caption-color", 0x555555, &text->caption_color, error))
        return FALSE;
    }
  else
    {
      static const char * const caption_keys[] = { "caption-size", "caption-align", "caption-color" };

      for (guint i = 0; i < G_N_ELEMENTS (caption_keys); i++)
        if (g_key_file_has_key (p->keyfile, g, caption_keys[i], NULL))
          return fail (p, error, g, "key “%s” needs a “caption-box”", caption_keys[i]);
    }
  return TRUE;
}

static gboolean
parse_line (const Parser *p,
            CoTemplate   *self,
            const char   *g,
            GError      **error)
{
  static const char * const keys[] = { "from", "to", "width", "color", NULL };
  CoTemplateLine line;
  double from[2], to[2];

  if (!check_keys (p, g, keys, error) ||
      !read_numbers (p, g, "from", 2, from, error) ||
      !read_numbers (p, g, "to", 2, to, error) ||
      !read_double (p, g, "width", FALSE, 0.2, 0.01, 5, &line.width, error) ||
      !read_color (p, g, "color", 0x000000, &line.color, error))
    return FALSE;
  line.x1 = from[0];
  line.y1 = from[1];
  line.x2 = to[0];
  line.y2 = to[1];
  if (MIN (line.x1, line.x2) < -EPS || MIN (line.y1, line.y2) < -EPS ||
      MAX (line.x1, line.x2) > self->label_width + EPS ||
      MAX (line.y1, line.y2) > self->label_height + EPS)
    return fail (p, error, g, "the line does not fit in the label");
  g_array_append_val (self->lines, line);
  return TRUE;
}

static gboolean
parse_keyfile (CoTemplate *self,
               GKeyFile   *keyfile,
               const char *source,
               GError    **error)
{
  Parser p = { keyfile, source };
  g_auto(GStrv) groups = NULL;

  if (!parse_sheet (&p, self, error) ||
      !parse_photo (&p, self, error) ||
      !parse_qr (&p, self, error))
    return FALSE;

  groups = g_key_file_get_groups (keyfile, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      const char *g = groups[i];
      guint f;

      if (g_str_equal (g, "template") || g_str_equal (g, "photo") || g_str_equal (g, "qr"))
        continue;
      if (g_str_has_prefix (g, "line "))
        {
          if (!parse_line (&p, self, g, error))
            return FALSE;
          continue;
        }
      for (f = 0; f < CO_N_STICKER_FIELDS; f++)
        if (g_str_equal (g, field_groups[f]))
          break;
      if (f == CO_N_STICKER_FIELDS)
        return fail (&p, error, g, "unknown group");
      if (!parse_text (&p, self, g, &self->texts[f], error))
        return FALSE;
    }
  return TRUE;
}

/* GObject */

static void
co_template_finalize (GObject *object)
{
  CoTemplate *self = (CoTemplate *) object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->lines, g_array_unref);

  G_OBJECT_CLASS (co_template_parent_class)->finalize (object);
}

static void
co_template_class_init (CoTemplateClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = co_template_finalize;
}

static void
co_template_init (CoTemplate *self)
{
  self->lines = g_array_new (FALSE, TRUE, sizeof (CoTemplateLine));
}

/* Public API */

/**
 * co_template_new_from_data:
 * @data: the template file's text
 * @length: its length, or -1 when NUL-terminated
 * @source_name: how errors name it (a path or a name)
 * @error: return location for a %CO_PRINT_ERROR_TEMPLATE_INVALID error
 *
 * Parses a template strictly: an unknown group or key, a missing key, a
 * malformed value or a grid that does not fit the page is an error naming
 * the group and the key.
 *
 * Returns: (transfer full) (nullable): the template
 */
CoTemplate *
co_template_new_from_data (const char  *data,
                           gsize        length,
                           const char  *source_name,
                           GError     **error)
{
  g_autoptr(CoTemplate) self = NULL;
  g_autoptr(GKeyFile) keyfile = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (source_name == NULL)
    source_name = "template";

  keyfile = g_key_file_new ();
  if (!g_key_file_load_from_data (keyfile, data, length, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, CO_PRINT_ERROR, CO_PRINT_ERROR_TEMPLATE_INVALID,
                   "%s: %s", source_name, local_error->message);
      return NULL;
    }

  self = g_object_new (CO_TYPE_TEMPLATE, NULL);
  if (!parse_keyfile (self, keyfile, source_name, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * co_template_new_from_file:
 * @path: a template file
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the template
 */
CoTemplate *
co_template_new_from_file (const char  *path,
                           GError     **error)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_get_contents (path, &data, &length, &local_error))
    {
      g_set_error (error, CO_PRINT_ERROR, CO_PRINT_ERROR_TEMPLATE_NOT_FOUND,
                   "%s", local_error->message);
      return NULL;
    }
  return co_template_new_from_data (data, length, path, error);
}

/**
 * co_template_new_for_name:
 * @name: a template name such as "a4-2x5-card", or a path to a .ini file
 * @error: return location for an error
 *
 * Finds templates/NAME.ini with co_data_find_file(): the user's own folder
 * first, then the shipped templates.
 *
 * Returns: (transfer full) (nullable): the template
 */
CoTemplate *
co_template_new_for_name (const char  *name,
                          GError     **error)
{
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (strchr (name, '/') != NULL || g_str_has_suffix (name, ".ini"))
    return co_template_new_from_file (name, error);

  file = g_strdup_printf ("templates/%s.ini", name);
  path = co_data_find_file (file);
  if (path == NULL)
    {
      g_set_error (error, CO_PRINT_ERROR, CO_PRINT_ERROR_TEMPLATE_NOT_FOUND,
                   "No sheet template named “%s”", name);
      return NULL;
    }
  return co_template_new_from_file (path, error);
}

static void
add_names_in (GPtrArray  *names,
              const char *dir_path)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *entry;

  if (dir == NULL)
    return;
  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *name = NULL;

      if (!g_str_has_suffix (entry, ".ini"))
        continue;
      name = g_strndup (entry, strlen (entry) - strlen (".ini"));
      if (!g_ptr_array_find_with_equal_func (names, name, g_str_equal, NULL))
        g_ptr_array_add (names, g_steal_pointer (&name));
    }
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/**
 * co_template_list_names:
 *
 * The names of every template found: the user's, the source tree's (when
 * $CARD_OFFICE_DATADIR is set) and the installed ones, sorted, each once.
 *
 * Returns: (transfer full): a %NULL-terminated array of names
 */
char **
co_template_list_names (void)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *user = g_build_filename (g_get_user_config_dir (), PACKAGE_NAME, "templates", NULL);
  g_autofree char *installed = g_build_filename (PKGDATADIR, "templates", NULL);
  const char *env_dir = g_getenv ("CARD_OFFICE_DATADIR");

  add_names_in (names, user);
  if (env_dir != NULL && *env_dir != '\0')
    {
      g_autofree char *dev = g_build_filename (env_dir, "templates", NULL);
      add_names_in (names, dev);
    }
  add_names_in (names, installed);
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

const char *
co_template_get_name (CoTemplate *self)
{
  g_return_val_if_fail (CO_IS_TEMPLATE (self), NULL);
  return self->name;
}

const char *
co_template_get_description (CoTemplate *self)
{
  g_return_val_if_fail (CO_IS_TEMPLATE (self), NULL);
  return self->description;
}

void
co_template_get_page_size (CoTemplate *self,
                           double     *width_mm,
                           double     *height_mm)
{
  g_return_if_fail (CO_IS_TEMPLATE (self));
  if (width_mm)
    *width_mm = self->page_width;
  if (height_mm)
    *height_mm = self->page_height;
}

void
co_template_get_label_size (CoTemplate *self,
                            double     *width_mm,
                            double     *height_mm)
{
  g_return_if_fail (CO_IS_TEMPLATE (self));
  if (width_mm)
    *width_mm = self->label_width;
  if (height_mm)
    *height_mm = self->label_height;
}

double
co_template_get_corner_radius (CoTemplate *self)
{
  g_return_val_if_fail (CO_IS_TEMPLATE (self), 0);
  return self->corner_radius;
}

guint
co_template_get_columns (CoTemplate *self)
{
  g_return_val_if_fail (CO_IS_TEMPLATE (self), 0);
  return self->columns;
}

guint
co_template_get_rows (CoTemplate *self)
{
  g_return_val_if_fail (CO_IS_TEMPLATE (self), 0);
  return self->rows;
}

guint
co_template_get_n_cells (CoTemplate *self)
{
  g_return_val_if_fail (CO_IS_TEMPLATE (self), 0);
  return self->columns * self->rows;
}

/**
 * co_template_get_cell_rect:
 * @self: a template
 * @index: a label of the sheet, from 0, row by row
 * @rect: (out): where the label lies on the page, in mm
 */
void
co_template_get_cell_rect (CoTemplate *self,
                           guint       index,
                           CoRectMm   *rect)
{
  guint column, row;

  g_return_if_fail (CO_IS_TEMPLATE (self));
  g_return_if_fail (rect != NULL);
  g_return_if_fail (index < self->columns * self->rows);

  column = index % self->columns;
  row = index / self->columns;
  rect->x = self->margin_left + column * (self->label_width + self->gap_x);
  rect->y = self->margin_top + row * (self->label_height + self->gap_y);
  rect->width = self->label_width;
  rect->height = self->label_height;
}

gboolean
co_template_get_photo_box (CoTemplate *self,
                           CoRectMm   *box,
                           double     *corner_radius,
                           double     *frame_width)
{
  g_return_val_if_fail (CO_IS_TEMPLATE (self), FALSE);
  if (box)
    *box = self->photo_box;
  if (corner_radius)
    *corner_radius = self->photo_radius;
  if (frame_width)
    *frame_width = self->photo_frame;
  return self->has_photo;
}

gboolean
co_template_get_qr_box (CoTemplate *self,
                        CoRectMm   *box,
                        guint      *quiet_zone,
                        int        *ec_level)
{
  g_return_val_if_fail (CO_IS_TEMPLATE (self), FALSE);
  if (box)
    *box = self->qr_box;
  if (quiet_zone)
    *quiet_zone = self->qr_quiet_zone;
  if (ec_level)
    *ec_level = self->qr_ec_level;
  return self->has_qr;
}

/**
 * co_template_get_text:
 * @self: a template
 * @field: which text
 *
 * Returns: (transfer none): the field's layout; its `present` member is
 *   %FALSE when the template leaves the field out
 */
const CoTemplateText *
co_template_get_text (CoTemplate     *self,
                      CoStickerField  field)
{
  g_return_val_if_fail (CO_IS_TEMPLATE (self), NULL);
  g_return_val_if_fail (field < CO_N_STICKER_FIELDS, NULL);
  return &self->texts[field];
}

const CoTemplateLine *
co_template_get_lines (CoTemplate *self,
                       guint      *n_lines)
{
  g_return_val_if_fail (CO_IS_TEMPLATE (self), NULL);
  g_return_val_if_fail (n_lines != NULL, NULL);
  *n_lines = self->lines->len;
  return (const CoTemplateLine *) (gpointer) self->lines->data;
}
