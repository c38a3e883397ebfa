/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * One printer's calibration offset (x, y in millimetres) in Preferences.
 */
#define G_LOG_DOMAIN "co-printer-offset-row"

#include "config.h"

#include "co-printer-offset-row.h"

struct _CoPrinterOffsetRow
{
  AdwActionRow   parent_instance;

  /* Template widgets */
  GtkSpinButton *x_spin;
  GtkSpinButton *y_spin;
  GtkButton     *remove_button;

  /* Owned references */
  char          *printer_name;
};

G_DEFINE_FINAL_TYPE (CoPrinterOffsetRow, co_printer_offset_row, ADW_TYPE_ACTION_ROW)

enum {
  PROP_0,
  PROP_PRINTER_NAME,
  PROP_X_OFFSET,
  PROP_Y_OFFSET,
  N_PROPS
};

enum {
  REMOVE,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

/* Callbacks */

static void
on_x_spin_value_changed_cb (GtkSpinButton      *spin,
                            CoPrinterOffsetRow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_X_OFFSET]);
}

static void
on_y_spin_value_changed_cb (GtkSpinButton      *spin,
                            CoPrinterOffsetRow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_Y_OFFSET]);
}

static void
on_remove_button_clicked_cb (GtkButton          *button,
                             CoPrinterOffsetRow *self)
{
  g_signal_emit (self, signals [REMOVE], 0);
}

/* GObject overrides */

static void
co_printer_offset_row_constructed (GObject *object)
{
  CoPrinterOffsetRow *self = CO_PRINTER_OFFSET_ROW (object);

  G_OBJECT_CLASS (co_printer_offset_row_parent_class)->constructed (object);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), self->printer_name);
}

static void
co_printer_offset_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CO_TYPE_PRINTER_OFFSET_ROW);

  G_OBJECT_CLASS (co_printer_offset_row_parent_class)->dispose (object);
}

static void
co_printer_offset_row_finalize (GObject *object)
{
  CoPrinterOffsetRow *self = CO_PRINTER_OFFSET_ROW (object);

  g_clear_pointer (&self->printer_name, g_free);

  G_OBJECT_CLASS (co_printer_offset_row_parent_class)->finalize (object);
}

static void
co_printer_offset_row_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  CoPrinterOffsetRow *self = CO_PRINTER_OFFSET_ROW (object);

  switch (prop_id)
    {
    case PROP_PRINTER_NAME:
      g_value_set_string (value, self->printer_name);
      break;

    case PROP_X_OFFSET:
      g_value_set_double (value, co_printer_offset_row_get_x_offset (self));
      break;

    case PROP_Y_OFFSET:
      g_value_set_double (value, co_printer_offset_row_get_y_offset (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
co_printer_offset_row_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  CoPrinterOffsetRow *self = CO_PRINTER_OFFSET_ROW (object);

  switch (prop_id)
    {
    case PROP_PRINTER_NAME:
      self->printer_name = g_value_dup_string (value);
      break;

    case PROP_X_OFFSET:
      co_printer_offset_row_set_x_offset (self, g_value_get_double (value));
      break;

    case PROP_Y_OFFSET:
      co_printer_offset_row_set_y_offset (self, g_value_get_double (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
co_printer_offset_row_class_init (CoPrinterOffsetRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = co_printer_offset_row_constructed;
  object_class->dispose = co_printer_offset_row_dispose;
  object_class->finalize = co_printer_offset_row_finalize;
  object_class->get_property = co_printer_offset_row_get_property;
  object_class->set_property = co_printer_offset_row_set_property;

  properties [PROP_PRINTER_NAME] =
    g_param_spec_string ("printer-name", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  /* Both in millimetres, -10 … 10: the range of the spin buttons. */
  properties [PROP_X_OFFSET] =
    g_param_spec_double ("x-offset", NULL, NULL,
                         -10.0, 10.0, 0.0,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_Y_OFFSET] =
    g_param_spec_double ("y-offset", NULL, NULL,
                         -10.0, 10.0, 0.0,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CoPrinterOffsetRow::remove:
   *
   * The user asked to forget this printer's calibration.
   */
  signals [REMOVE] =
    g_signal_new ("remove",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/co-printer-offset-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CoPrinterOffsetRow, x_spin);
  gtk_widget_class_bind_template_child (widget_class, CoPrinterOffsetRow, y_spin);
  gtk_widget_class_bind_template_child (widget_class, CoPrinterOffsetRow, remove_button);
  gtk_widget_class_bind_template_callback (widget_class, on_x_spin_value_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_y_spin_value_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_remove_button_clicked_cb);
}

static void
co_printer_offset_row_init (CoPrinterOffsetRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API */

GtkWidget *
co_printer_offset_row_new (const char *printer_name,
                           double      x_offset,
                           double      y_offset)
{
  g_return_val_if_fail (printer_name != NULL, NULL);

  return g_object_new (CO_TYPE_PRINTER_OFFSET_ROW,
                       "printer-name", printer_name,
                       "x-offset", CLAMP (x_offset, -10.0, 10.0),
                       "y-offset", CLAMP (y_offset, -10.0, 10.0),
                       NULL);
}

const char *
co_printer_offset_row_get_printer_name (CoPrinterOffsetRow *self)
{
  g_return_val_if_fail (CO_IS_PRINTER_OFFSET_ROW (self), NULL);

  return self->printer_name;
}

double
co_printer_offset_row_get_x_offset (CoPrinterOffsetRow *self)
{
  g_return_val_if_fail (CO_IS_PRINTER_OFFSET_ROW (self), 0.0);

  return gtk_spin_button_get_value (self->x_spin);
}

/* The spin button's value-changed signal notifies x-offset. */
void
co_printer_offset_row_set_x_offset (CoPrinterOffsetRow *self,
                                    double              x_offset)
{
  g_return_if_fail (CO_IS_PRINTER_OFFSET_ROW (self));

  if (gtk_spin_button_get_value (self->x_spin) != x_offset)
    gtk_spin_button_set_value (self->x_spin, x_offset);
}

double
co_printer_offset_row_get_y_offset (CoPrinterOffsetRow *self)
{
  g_return_val_if_fail (CO_IS_PRINTER_OFFSET_ROW (self), 0.0);

  return gtk_spin_button_get_value (self->y_spin);
}

void
co_printer_offset_row_set_y_offset (CoPrinterOffsetRow *self,
                                    double              y_offset)
{
  g_return_if_fail (CO_IS_PRINTER_OFFSET_ROW (self));

  if (gtk_spin_button_get_value (self->y_spin) != y_offset)
    gtk_spin_button_set_value (self->y_spin, y_offset);
}
