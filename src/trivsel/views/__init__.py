"""What pages and exports show: domain figures that have been through disclosure control.

Pages and exports take their figures from here, never from the measure modules directly.
"""
