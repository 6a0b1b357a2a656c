"""The upload form: one ZIP of CSV files or one XLSX workbook (docs/import-format.md)."""

from django import forms

from core.forms import GovErrorsMixin

from .services.runs import MAX_UPLOAD

ALLOWED = (".zip", ".xlsx")


class UploadForm(GovErrorsMixin, forms.Form):
    file = forms.FileField(
        label="Upload the files",
        help_text="A ZIP of CSV files or one XLSX workbook, as docs/import-format.md describes",
        error_messages={"required": "Choose a ZIP or XLSX file to upload", "empty": "The file is empty"},
    )

    def clean_file(self):
        """A .zip or .xlsx, no larger than the service takes."""
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ALLOWED):
            raise forms.ValidationError("The file must be a ZIP of CSV files or an XLSX workbook")
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(f"The file must be smaller than {MAX_UPLOAD // (1024 * 1024)} MB")
        return upload
