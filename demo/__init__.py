"""The fictional demo service: factory-boy factories (also used by the tests), the seeding code split by
domain (`demo.seed`) and `manage.py seed_demo`. Installed in local and test settings only, so production
needs neither factory-boy nor Faker."""
