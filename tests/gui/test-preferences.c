/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Preferences: what is changed in the window's widgets lands in GSettings,
 * and what changes in GSettings shows in the widgets.
 */
#define G_LOG_DOMAIN "test-preferences"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "co-gui-test-util.h"
#include "co-preferences-window.h"
#include "co-printer-offset-row.h"

typedef struct
{
  GSettings           *settings;
  CoPreferencesWindow *window;
} Fixture;

typedef struct
{
  GSettings  *settings;
  const char *key;
  GVariant   *value;
} SettingIs;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->settings = co_test_settings_new ();
  fixture->window = co_preferences_window_new (fixture->settings);

  gtk_window_present (GTK_WINDOW (fixture->window));
  co_test_wait_for_mapped (GTK_WIDGET (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->settings);
}

static gpointer
get_child (Fixture    *fixture,
           const char *id)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                  CO_TYPE_PREFERENCES_WINDOW, id);

  g_assert_nonnull (child);

  return child;
}

static gboolean
setting_is (gpointer user_data)
{
  SettingIs *is = user_data;
  g_autoptr(GVariant) value = g_settings_get_value (is->settings, is->key);

  return g_variant_equal (value, is->value);
}

static void
assert_setting (Fixture    *fixture,
                const char *key,
                GVariant   *expected)
{
  SettingIs is = { fixture->settings, key, g_variant_ref_sink (expected) };

  if (!co_test_wait_until (setting_is, &is, CO_TEST_TIMEOUT_MS))
    {
      g_autoptr(GVariant) value = g_settings_get_value (fixture->settings, key);
      g_autofree char *got = g_variant_print (value, TRUE);
      g_autofree char *want = g_variant_print (expected, TRUE);

      g_error ("%s is %s, expected %s", key, got, want);
    }

  g_variant_unref (is.value);
}

typedef struct
{
  GtkEditable *editable;
  const char  *text;
} TextIs;

static gboolean
text_is (gpointer user_data)
{
  TextIs *is = user_data;

  return g_strcmp0 (gtk_editable_get_text (is->editable), is->text) == 0;
}

static void
assert_text (gpointer    editable,
             const char *text)
{
  TextIs is = { GTK_EDITABLE (editable), text };

  g_assert_true (co_test_wait_until (text_is, &is, CO_TEST_TIMEOUT_MS));
}

/* Server and reader: typed text is stored; stored text is shown. */
static void
test_entries (Fixture       *fixture,
              gconstpointer  data)
{
  GtkWidget *server_row = get_child (fixture, "server_row");
  GtkWidget *reader_row = get_child (fixture, "reader_row");

  /* The schema's defaults are shown. */
  assert_text (server_row, "http://127.0.0.1:8080");
  assert_text (reader_row, "");

  gtk_editable_set_text (GTK_EDITABLE (server_row), "https://cardcenter.example.edu.cn");
  assert_setting (fixture, "server-url", g_variant_new_string ("https://cardcenter.example.edu.cn"));
  g_assert_false (gtk_widget_has_css_class (server_row, "error"));

  gtk_editable_set_text (GTK_EDITABLE (reader_row), "pn532_uart:/dev/ttyUSB0");
  assert_setting (fixture, "reader-connstring", g_variant_new_string ("pn532_uart:/dev/ttyUSB0"));

  g_settings_set_string (fixture->settings, "server-url", "https://card.example.org/");
  assert_text (server_row, "https://card.example.org/");
  g_settings_set_string (fixture->settings, "reader-connstring", "");
  assert_text (reader_row, "");

  /* Not an address: stored (nothing typed is lost) but marked. */
  gtk_editable_set_text (GTK_EDITABLE (server_row), "card office");
  assert_setting (fixture, "server-url", g_variant_new_string ("card office"));
  g_assert_true (gtk_widget_has_css_class (server_row, "error"));
  gtk_editable_set_text (GTK_EDITABLE (server_row), "ftp://card.example.org/");
  g_assert_true (gtk_widget_has_css_class (server_row, "error"));
  gtk_editable_set_text (GTK_EDITABLE (server_row), "http://localhost:8080");
  g_assert_false (gtk_widget_has_css_class (server_row, "error"));
}

typedef struct
{
  GtkSpinButton *spin;
  double         value;
} SpinIs;

static gboolean
spin_is (gpointer user_data)
{
  SpinIs *is = user_data;

  return G_APPROX_VALUE (gtk_spin_button_get_value (is->spin), is->value, 1e-9);
}

static void
assert_spin (gpointer spin,
             double   value)
{
  SpinIs is = { GTK_SPIN_BUTTON (spin), value };

  if (!co_test_wait_until (spin_is, &is, CO_TEST_TIMEOUT_MS))
    g_error ("spin button shows %g, expected %g", gtk_spin_button_get_value (is.spin), value);
}

static void
test_idle_lock (Fixture       *fixture,
                gconstpointer  data)
{
  GtkSpinButton *spin = get_child (fixture, "idle_lock_spin");
  double min;
  double max;

  assert_spin (spin, 10);
  gtk_spin_button_get_range (spin, &min, &max);
  g_assert_cmpfloat (min, ==, 0);
  g_assert_cmpfloat (max, ==, 120);

  gtk_spin_button_set_value (spin, 25);
  assert_setting (fixture, "idle-lock-seconds", g_variant_new_uint32 (25 * 60));

  /* Up arrow, as a click on "+" does. */
  gtk_spin_button_spin (spin, GTK_SPIN_STEP_FORWARD, 1);
  assert_setting (fixture, "idle-lock-seconds", g_variant_new_uint32 (26 * 60));

  g_settings_set_uint (fixture->settings, "idle-lock-seconds", 45 * 60);
  assert_spin (spin, 45);
}

static void
test_ca_file (Fixture       *fixture,
              gconstpointer  data)
{
  AdwActionRow *row = get_child (fixture, "ca_file_row");
  GtkWidget *clear_button = get_child (fixture, "ca_file_clear_button");
  GtkWidget *choose_button = get_child (fixture, "ca_file_button");

  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==,
                   _("None: only the system’s certificates are trusted"));
  g_assert_false (gtk_widget_get_sensitive (clear_button));
  g_assert_true (gtk_widget_get_sensitive (choose_button));

  g_settings_set_string (fixture->settings, "ca-file", "/etc/card-office/school-ca.pem");
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "/etc/card-office/school-ca.pem");
  g_assert_true (gtk_widget_get_sensitive (clear_button));

  /* The clear button, as clicked (GtkButton emits "clicked" a moment after activation). */
  g_assert_true (gtk_widget_activate (clear_button));
  assert_setting (fixture, "ca-file", g_variant_new_string (""));
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==,
                   _("None: only the system’s certificates are trusted"));
}

static GPtrArray *
get_offset_rows (Fixture *fixture)
{
  GtkWidget *list = get_child (fixture, "offsets_list");
  GPtrArray *rows = g_ptr_array_new ();

  for (GtkWidget *child = gtk_widget_get_first_child (list);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (CO_IS_PRINTER_OFFSET_ROW (child))
        g_ptr_array_add (rows, child);
    }

  return rows;
}

static CoPrinterOffsetRow *
find_offset_row (Fixture    *fixture,
                 const char *name)
{
  g_autoptr(GPtrArray) rows = get_offset_rows (fixture);

  for (guint i = 0; i < rows->len; i++)
    {
      CoPrinterOffsetRow *row = g_ptr_array_index (rows, i);

      if (g_str_equal (co_printer_offset_row_get_printer_name (row), name))
        return row;
    }

  return NULL;
}

static gboolean
list_is_last (gpointer user_data)
{
  GtkWidget *row = user_data;

  return gtk_widget_get_next_sibling (row) == NULL;
}

/* The add row: type a printer name, press Add; then edit and remove it. */
static void
test_printer_offsets_edit (Fixture       *fixture,
                           gconstpointer  data)
{
  GtkWidget *add_row = get_child (fixture, "add_printer_row");
  GtkWidget *add_button = get_child (fixture, "add_printer_button");
  CoPrinterOffsetRow *row;
  GtkWidget *x_spin;
  GtkWidget *y_spin;
  GtkWidget *remove_button;

  /* What a user does: open the Printing page. */
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (fixture->window), "printing");
  co_test_wait_for_mapped (add_button);

  g_assert_false (gtk_widget_get_sensitive (add_button));
  gtk_editable_set_text (GTK_EDITABLE (add_row), "   ");
  g_assert_false (gtk_widget_get_sensitive (add_button));

  gtk_editable_set_text (GTK_EDITABLE (add_row), " 得力 DL-888T ");
  g_assert_true (gtk_widget_get_sensitive (add_button));
  g_assert_true (gtk_widget_activate (add_button));

  assert_setting (fixture, "printer-offsets",
                  g_variant_new_parsed ("{'得力 DL-888T': (0.0, 0.0)}"));
  assert_text (add_row, "");
  row = find_offset_row (fixture, "得力 DL-888T");
  g_assert_nonnull (row);
  g_assert_true (list_is_last (add_row));

  /* A second printer sorts before the first; the add row stays last. */
  gtk_editable_set_text (GTK_EDITABLE (add_row), "Brother QL-820NWB");
  g_assert_true (gtk_widget_activate (add_button));
  assert_setting (fixture, "printer-offsets",
                  g_variant_new_parsed ("{'Brother QL-820NWB': (0.0, 0.0), '得力 DL-888T': (0.0, 0.0)}"));
  g_assert_true (list_is_last (add_row));

  /* A name already there cannot be added twice. */
  gtk_editable_set_text (GTK_EDITABLE (add_row), "Brother QL-820NWB");
  g_assert_false (gtk_widget_get_sensitive (add_button));
  gtk_editable_set_text (GTK_EDITABLE (add_row), "");

  x_spin = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (row), CO_TYPE_PRINTER_OFFSET_ROW, "x_spin"));
  y_spin = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (row), CO_TYPE_PRINTER_OFFSET_ROW, "y_spin"));
  remove_button = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (row), CO_TYPE_PRINTER_OFFSET_ROW, "remove_button"));

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (x_spin), 1.5);
  gtk_spin_button_spin (GTK_SPIN_BUTTON (y_spin), GTK_SPIN_STEP_BACKWARD, 0.1);
  assert_setting (fixture, "printer-offsets",
                  g_variant_new_parsed ("{'Brother QL-820NWB': (0.0, 0.0), '得力 DL-888T': (1.5, -0.1)}"));

  /* The spin buttons keep to ±10 mm. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (x_spin), 25);
  assert_setting (fixture, "printer-offsets",
                  g_variant_new_parsed ("{'Brother QL-820NWB': (0.0, 0.0), '得力 DL-888T': (10.0, -0.1)}"));

  g_assert_true (gtk_widget_activate (remove_button));
  assert_setting (fixture, "printer-offsets",
                  g_variant_new_parsed ("{'Brother QL-820NWB': (0.0, 0.0)}"));
  g_assert_null (find_offset_row (fixture, "得力 DL-888T"));

  /* Enter in the name entry adds too. */
  gtk_editable_set_text (GTK_EDITABLE (add_row), "HP LaserJet");
  g_signal_emit_by_name (add_row, "entry-activated");
  assert_setting (fixture, "printer-offsets",
                  g_variant_new_parsed ("{'Brother QL-820NWB': (0.0, 0.0), 'HP LaserJet': (0.0, 0.0)}"));
}

typedef struct
{
  Fixture    *fixture;
  const char *name;
  double      x;
  double      y;
  guint       n_rows;
} RowsAre;

static gboolean
rows_are (gpointer user_data)
{
  RowsAre *are = user_data;
  g_autoptr(GPtrArray) rows = get_offset_rows (are->fixture);
  CoPrinterOffsetRow *row = find_offset_row (are->fixture, are->name);

  return rows->len == are->n_rows &&
         row != NULL &&
         G_APPROX_VALUE (co_printer_offset_row_get_x_offset (row), are->x, 1e-9) &&
         G_APPROX_VALUE (co_printer_offset_row_get_y_offset (row), are->y, 1e-9);
}

/* Offsets set elsewhere (another window, gsettings) show up in the rows. */
static void
test_printer_offsets_from_settings (Fixture       *fixture,
                                    gconstpointer  data)
{
  RowsAre are = { fixture, NULL, 0, 0, 0 };
  CoPrinterOffsetRow *kept;
  g_autoptr(GPtrArray) rows = NULL;

  g_settings_set_value (fixture->settings, "printer-offsets",
                        g_variant_new_parsed ("{'A4 Laser': (1.0, 2.0), 'Zebra': (-3.0, 0.5)}"));
  are.name = "Zebra", are.x = -3.0, are.y = 0.5, are.n_rows = 2;
  g_assert_true (co_test_wait_until (rows_are, &are, CO_TEST_TIMEOUT_MS));
  are.name = "A4 Laser", are.x = 1.0, are.y = 2.0;
  g_assert_true (rows_are (&are));

  /* Sorted by name. */
  rows = get_offset_rows (fixture);
  g_assert_cmpstr (co_printer_offset_row_get_printer_name (g_ptr_array_index (rows, 0)), ==, "A4 Laser");
  g_assert_cmpstr (co_printer_offset_row_get_printer_name (g_ptr_array_index (rows, 1)), ==, "Zebra");

  /* A row that stays is updated in place, not recreated. */
  kept = find_offset_row (fixture, "Zebra");
  g_settings_set_value (fixture->settings, "printer-offsets",
                        g_variant_new_parsed ("{'Zebra': (0.2, -0.4)}"));
  are.name = "Zebra", are.x = 0.2, are.y = -0.4, are.n_rows = 1;
  g_assert_true (co_test_wait_until (rows_are, &are, CO_TEST_TIMEOUT_MS));
  g_assert_true (find_offset_row (fixture, "Zebra") == kept);

  /* Loading did not write anything back. */
  assert_setting (fixture, "printer-offsets", g_variant_new_parsed ("{'Zebra': (0.2, -0.4)}"));

  g_settings_reset (fixture->settings, "printer-offsets");
  g_assert_true (co_test_wait_until ((CoTestCondition) list_is_last,
                                     get_child (fixture, "add_printer_row"), CO_TEST_TIMEOUT_MS));
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = get_offset_rows (fixture);
  g_assert_cmpuint (rows->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  if (!co_test_set_locale ("C"))
    return EXIT_FAILURE;

  if (!co_test_init_gui (&argc, &argv))
    return CO_TEST_EXIT_SKIP;

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/gui/preferences/entries", test_entries);
  ADD ("/gui/preferences/idle-lock", test_idle_lock);
  ADD ("/gui/preferences/ca-file", test_ca_file);
  ADD ("/gui/preferences/printer-offsets/edit", test_printer_offsets_edit);
  ADD ("/gui/preferences/printer-offsets/from-settings", test_printer_offsets_from_settings);
#undef ADD

  return g_test_run ();
}
