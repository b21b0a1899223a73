"""The front door: the brands this instance runs."""

from django.shortcuts import render

from comptoir.brands.models import Brand


def home(request):
    return render(request, "web/home.html", {"brands": Brand.objects.all()})
