"""Writing (pure): a planned reply -> an EmailMessage.

compose gathers what the template needs and adds the calendar invitations
(invite); render fills the organiser's templates (variables: what they see);
headers writes the headers every reply carries; digest is the organiser's
summary mail; idn puts international domains into a form every relay takes.
"""
